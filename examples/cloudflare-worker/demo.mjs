// `make demo`: the example Worker under local workerd (Miniflare, loopback only), its Graph base
// URL pointed at a small local stub that records requests; signed example deliveries replayed to
// it; what arrived and what the Worker sent, printed. Ends by itself.
import { createHmac } from "node:crypto";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = join(here, "..", "..");
const tools = join(root, "bindings-wasm", "node_modules");
const { Miniflare } = await import(pathToFileURL(join(tools, "miniflare", "dist", "src", "index.js")).href);

const APP_SECRET = "demo-app-secret";
/** The groups the replayed deliveries are about. */
const DEMO_GROUPS = [
  "Y2FwaV9ncm91cDoxNTU1NzMxMjA0ODoxMjAzNjM0MTkwODY2NTIyMTMZD",
  "Y2FwaV9ncm91cDoxNTU1NzMxMjA0ODoxMjAzNjM0Mjc3MzE5MDQ0NjgZD",
];
const ACCESS_TOKEN = "EAAG-demo-token";
const fixture = (field, name) =>
  JSON.parse(readFileSync(join(root, "tests", "fixtures", "webhooks", field, `${name}.json`), "utf8")).input.body;
const sign = (body, secret = APP_SECRET) => "sha256=" + createHmac("sha256", secret).update(body).digest("hex");

/** A Graph API stand-in on 127.0.0.1 that records every request and answers like Meta. */
function graphStub() {
  const seen = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method, path: req.url, authorization: req.headers.authorization, body: body ? JSON.parse(body) : null });
      const reply = req.url.endsWith("/join_requests")
        ? { messaging_product: "whatsapp", approved_join_requests: JSON.parse(body).join_requests }
        : { messaging_product: "whatsapp", messages: [{ id: "wamid.DEMO" }] };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(reply));
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, seen })));
}

/** The example Worker bundled by wrangler, run by Miniflare in a local workerd (`extra`: more
 * Miniflare options, such as a port to listen on). Shared with the sandbox story. */
export function startWorker(bindings, extra = {}) {
  execFileSync(join(tools, ".bin", "wrangler"), ["deploy", "--dry-run", "--outdir", "build"], {
    cwd: here,
    stdio: "pipe",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
  });
  return new Miniflare({
    modules: true,
    scriptPath: join(here, "build", "index.js"),
    modulesRoot: join(here, "build"),
    modulesRules: [
      { type: "ESModule", include: ["**/*.js"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: "2026-04-01",
    durableObjects: { GROUPS: "GroupLedger" },
    bindings,
    ...extra,
  });
}

export async function runDemo({ print = console.log } = {}) {
  const { server, seen } = await graphStub();
  const graph = `http://127.0.0.1:${server.address().port}`;
  const mf = startWorker({ APP_SECRET: `old-secret,${APP_SECRET}`, VERIFY_TOKEN: "demo-verify", ACCESS_TOKEN, PHONE_NUMBER_ID: "427119830566204", GRAPH_BASE_URL: graph });
  const answers = [];
  try {
    const hs = await mf.dispatchFetch("http://worker/webhook?hub.mode=subscribe&hub.verify_token=demo-verify&hub.challenge=1158201444");
    answers.push({ what: "GET handshake", status: hs.status, body: await hs.text() });
    print(`GET handshake → ${hs.status} ${answers[0].body}`);
    const deliveries = [
      ["join request created", fixture("group_participants_update", "join_request_created")],
      ["member joined by invite link", fixture("group_participants_update", "joined_via_invite_link")],
      ["group text message", fixture("messages", "group_text")],
      ["aggregated statuses", fixture("messages", "status_aggregated_multi_participant")],
      ["several entries and changes", fixture("tolerance", "several_entries_and_changes")],
    ];
    for (const [what, body] of deliveries) {
      const res = await mf.dispatchFetch("http://worker/webhook", { method: "POST", body, headers: { "x-hub-signature-256": sign(body) } });
      const text = await res.text();
      answers.push({ what, status: res.status, body: text });
      print(`POST ${what} → ${res.status} ${text}`);
    }
    const forged = deliveries[0][1];
    const bad = await mf.dispatchFetch("http://worker/webhook", { method: "POST", body: forged, headers: { "x-hub-signature-256": sign(forged, "wrong") } });
    answers.push({ what: "forged signature", status: bad.status, body: await bad.text() });
    print(`POST forged signature → ${bad.status} ${answers.at(-1).body}`);
    // waitUntil work finishes after the responses: wait for the stub to hear it.
    for (let i = 0; i < 100 && seen.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    print(`\nThe Worker sent ${seen.length} request(s) to the Graph stub at ${graph}:`);
    for (const r of seen) print(`  ${r.method} ${r.path}  ${r.authorization ? "(bearer token)" : ""}\n    ${JSON.stringify(r.body)}`);
    // Each group's state, from its Durable Object.
    const states = {};
    for (const groupId of DEMO_GROUPS) {
      const res = await mf.dispatchFetch(`http://worker/groups/${encodeURIComponent(groupId)}`);
      states[groupId] = res.status === 200 ? await res.json() : null;
      const s = states[groupId];
      print(`\nGroup ${groupId.slice(0, 16)}…: ${s ? `${s.status}, ${s.participants.length} participant(s), ${s.pending_join_requests.length} pending join request(s), ${Object.keys(s.messages).length} message(s) tracked, totals ${JSON.stringify(s.totals)}` : "no state"}`);
    }
    return { answers, sent: seen, states };
  } finally {
    await mf.dispose();
    server.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runDemo();
}
