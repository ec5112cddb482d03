// node --test: the bot story through createClient and webhookHandler, with the packed package,
// against the sandbox binary over real HTTP: create (the group id from the group_create
// delivery), list with paginate, send through two injected 429s (the waits observed through the
// injected sleep), a 190 that is not retried, an upload and a checked download, and the handler
// answering the sandbox's handshake and signed deliveries, a bad signature, a wrong verify token
// and a signed body it cannot read.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./ports.mjs";

const bin = fileURLToPath(new URL("../../target/debug/wagroups-sandbox", import.meta.url));
const PHONE = "427119830566204";
const SECRET = "s3cret";
const VERIFY = "vt";

/** Node's http server in front of a fetch-style handler (what Workers, Deno and Bun do natively). */
function serve(handler, port) {
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks);
    const request = new Request(`http://127.0.0.1:${port}${req.url}`, { method: req.method, headers: req.headers, body });
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

test("the bot story through the client and the webhook handler, against the sandbox", async () => {
  const proj = process.env.WAGROUPS_TEST_PROJECT;
  assert.ok(proj, "set WAGROUPS_TEST_PROJECT (make test-npm does)");
  const w = createRequire(join(proj, "package.json"))("wagroups");
  const [port, hookPort] = [await freePort(), await freePort()];
  const base = `http://127.0.0.1:${port}`;
  const hook = `http://127.0.0.1:${hookPort}/webhook`;

  const created = new Map();
  const problems = [];
  const handler = w.webhookHandler({
    appSecret: SECRET,
    verifyToken: VERIFY,
    onEvents: (batch) => {
      for (const e of batch.events) if (e.type === "group_create" && e.request_id) created.set(e.request_id, e.group_id);
    },
    onProblem: (problem) => problems.push(problem),
  });
  const server = await serve(handler, hookPort);
  const sandbox = spawn(bin, ["--listen", `127.0.0.1:${port}`, "--db", ":memory:", "--create-delay-ms", "200", "--callback", hook, "--app-secret", SECRET, "--verify-token", VERIFY], { stdio: "ignore" });
  try {
    for (let i = 0; i < 200; i++) {
      if (await fetch(`${base}/_sandbox/state`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const waits = [];
    const client = w.createClient({ base_url: base, access_token: "sandbox-token" }, { random: () => 0.5, sleep: async (ms) => waits.push(ms) });
    const groupOf = async (requestId) => {
      for (let i = 0; i < 400 && !created.has(requestId); i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(created.has(requestId), `group_create for ${requestId}`);
      return created.get(requestId);
    };

    const groups = [];
    for (const subject of ["Ride", "Run", "Swim"]) {
      const reply = await client.createGroup({ phone_number_id: PHONE, subject });
      groups.push(await groupOf(reply.request_id));
    }
    const listed = [];
    for await (const g of client.paginate("list_groups", { phone_number_id: PHONE, limit: 1 })) listed.push(g.id);
    assert.deepEqual(listed.sort(), [...groups].sort());

    const post = (path, body) => fetch(`${base}/_sandbox/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const { invite_link } = await client.getInviteLink({ group_id: groups[0] });
    assert.equal((await post("join", { invite_link, wa_id: "447700900318" })).status, 200);
    assert.equal((await post(`groups/${groups[0]}/messages`, { from: "447700900318", text: "hi" })).status, 200);

    // Two 429s then success: the server's Retry-After is each wait, in milliseconds.
    assert.equal((await post("faults", { operation: "send_message", status: 429, code: 130429, times: 2, retry_after: 2 })).status, 200);
    const sent = await client.sendMessage({ phone_number_id: PHONE, group_id: groups[0], type: "text", text: { body: "hello" } });
    assert.match(sent.message_id, /^wamid\./);
    assert.deepEqual(waits, [2000, 2000]);
    // Without Retry-After: full jitter below the first ceiling (1 s) with random 0.5.
    assert.equal((await post("faults", { operation: "get_group_info", code: 131208 })).status, 200);
    await client.getGroupInfo({ group_id: groups[0] });
    assert.deepEqual(waits, [2000, 2000, 500]);
    // A 190 is not retried.
    assert.equal((await post("faults", { operation: "get_group_info", code: 190 })).status, 200);
    await assert.rejects(client.getGroupInfo({ group_id: groups[0] }), (e) => e instanceof w.ApiError && e.code === "access_token_expired" && e.attempts === 1 && e.info.operation === "get_group_info");
    assert.equal(waits.length, 3);

    // An upload from a Blob, then the download checked against get_media.
    const pdf = new TextEncoder().encode("%PDF-1.7\n1 0 obj\n");
    const uploaded = await client.uploadMedia({ phone_number_id: PHONE, type: "application/pdf" }, new Blob([pdf]));
    const media = await client.downloadMedia(uploaded.id);
    assert.deepEqual([...media.data], [...pdf]);
    assert.equal(media.size_bytes, pdf.length);

    // The handler itself: a bad signature, a signed body it cannot read, the handshake both ways.
    const sign = (body) => "sha256=" + createHmac("sha256", SECRET).update(body).digest("hex");
    const deliver = (body, signature) => fetch(hook, { method: "POST", headers: { "x-hub-signature-256": signature }, body });
    assert.equal((await deliver("{}", sign("{ }"))).status, 401);
    assert.equal((await deliver("not json", sign("not json"))).status, 200);
    const handshake = await fetch(`${hook}?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=42`);
    assert.deepEqual([handshake.status, await handshake.text()], [200, "42"]);
    assert.equal((await fetch(`${hook}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`)).status, 403);
    assert.deepEqual(problems.map((p) => [p.constructor.name, p.code]), [
      ["VerificationError", "signature_mismatch"],
      ["WebhookError", "webhook_invalid_json"],
      ["VerificationError", "subscription_token_mismatch"],
    ]);
    // With ctx.waitUntil the answer comes first and the events after.
    let pending;
    const early = await handler(new Request(hook, { method: "POST", headers: { "x-hub-signature-256": sign("not json") }, body: "not json" }), { waitUntil: (p) => (pending = p) });
    assert.equal(early.status, 200);
    await pending;
    assert.equal(problems.length, 4);
  } finally {
    sandbox.kill();
    server.close();
  }
});
