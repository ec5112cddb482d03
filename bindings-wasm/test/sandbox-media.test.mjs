// node --test: the packed package against the sandbox binary over real HTTP: a group created
// (its id from the group_create delivery matched by request_id), a member's photo and an
// upload each looked up, downloaded with the library's request (the token goes only to the
// configured origin) and checked with checkMediaDownload.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { freePort } from "./ports.mjs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../../target/debug/wagroups-sandbox", import.meta.url));
const PHONE = "427119830566204";

test("upload, a member's photo by webhook, download and check against the sandbox", async () => {
  const proj = process.env.WAGROUPS_TEST_PROJECT;
  assert.ok(proj, "set WAGROUPS_TEST_PROJECT (make test-npm does)");
  const w = createRequire(join(proj, "package.json"))("wagroups");
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const sandbox = spawn(bin, ["--listen", `127.0.0.1:${port}`, "--db", ":memory:", "--create-delay-ms", "0"], { stdio: "ignore" });
  try {
    for (let i = 0; i < 200; i++) {
      if (await fetch(`${base}/_sandbox/state`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const config = { base_url: base, access_token: "sandbox-token" };
    const call = async (operation, params, file) => {
      const [url, init] = w.toFetch(w.buildRequest(operation, params, config, file));
      const reply = await fetch(url, init);
      return { reply: w.parseResponse(operation, reply.status, new Uint8Array(await reply.arrayBuffer()), reply.headers), status: reply.status };
    };
    // With no callback the deliveries wait in the sandbox's log: read them as a receiver would.
    const delivered = async () => (await fetch(`${base}/_sandbox/deliveries`).then((r) => r.json())).deliveries.flatMap((d) => w.parseWebhook(d.body).events);
    const { reply: created } = await call("create_group", { phone_number_id: PHONE, subject: "Photo club" });
    let group;
    for (let i = 0; i < 200 && !group; i++) {
      group = (await delivered()).find((e) => e.type === "group_create" && e.request_id === created.request_id)?.group_id;
      if (!group) await new Promise((r) => setTimeout(r, 25));
    }
    assert.ok(group, "the group_create event with the request id");
    const { reply: link } = await call("get_invite_link", { group_id: group });
    const post = (path, body) => fetch(`${base}/_sandbox/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    assert.equal((await post("join", { invite_link: link.invite_link, wa_id: "447700900318" })).status, 200);
    assert.equal((await post(`groups/${group}/messages`, { from: "447700900318", media: { type: "image", caption: "the route" } })).status, 200);
    const photo = (await delivered()).find((e) => e.type === "message" && e.kind === "image");
    const download = async (mediaId) => {
      const { reply: info } = await call("get_media", { media_id: mediaId });
      const [url, init] = w.toFetch(w.buildRequest("download_media", { url: info.url }, config));
      const res = await fetch(url, init);
      assert.equal(res.status, 200);
      return w.checkMediaDownload(new Uint8Array(await res.arrayBuffer()), info);
    };
    const got = await download(photo.media.id);
    assert.ok(got.size_bytes > 0, JSON.stringify(got));
    // An upload: the library's multipart, then the same path.
    const pdf = new TextEncoder().encode("%PDF-1.7\n1 0 obj\n");
    const { reply: uploaded } = await call("upload_media", { phone_number_id: PHONE, type: "application/pdf" }, pdf);
    assert.equal((await download(uploaded.id)).size_bytes, pdf.length);
    // Without the token the bytes are refused, in Meta's envelope.
    const bare = await fetch(`${base}/_media/${uploaded.id}`);
    assert.equal(bare.status, 401);
    assert.equal((await bare.json()).error.code, 190);
  } finally {
    sandbox.kill();
  }
});
