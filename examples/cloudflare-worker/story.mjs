// `make demo`, second part: the example Worker against the local sandbox (`wagroups-sandbox`,
// a Graph API stand-in that behaves and sends signed webhooks). A short story: the bot creates a
// group that needs approval, two people ask to join and the Worker approves them, a member writes
// and the Worker answers, both read, and the Worker's per-group state shows members and costs.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildRequest, parseResponse, toFetch } from "wagroups";
import { startWorker } from "./demo.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = join(here, "..", "..");

const APP_SECRET = "demo-app-secret";
const ACCESS_TOKEN = "EAAG-demo-token";
const PHONE = "427119830566204";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function until(what, check, tries = 200) {
  for (let i = 0; i < tries; i++) {
    const v = await check();
    if (v) return v;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function runStory({ print = console.log, createDelayMs = 300 } = {}) {
  const createWaitTries = Math.ceil((createDelayMs + 5000) / 25);
  const sandboxPort = await freePort();
  const graph = `http://127.0.0.1:${sandboxPort}`;
  const mf = startWorker(
    { APP_SECRET, VERIFY_TOKEN: "demo-verify", ACCESS_TOKEN, PHONE_NUMBER_ID: PHONE, GRAPH_BASE_URL: graph },
    { host: "127.0.0.1", port: await freePort() },
  );
  const worker = (await mf.ready).toString().replace(/\/$/, "");
  const bin = join(root, "target", "debug", "wagroups-sandbox");
  const sandbox = spawn(bin, ["--listen", `127.0.0.1:${sandboxPort}`, "--callback", `${worker}/webhook`, "--verify-token", "demo-verify",
    "--app-secret", APP_SECRET, "--access-token", ACCESS_TOKEN, "--db", ":memory:", "--retry-base-ms", "50", "--create-delay-ms", String(createDelayMs)], { stdio: ["ignore", "pipe", "inherit"] });
  const transcript = [];
  const say = (line) => {
    transcript.push(line);
    print(line);
  };
  try {
    await until("the sandbox", async () => fetch(`${graph}/_sandbox/deliveries`).then((r) => r.ok, () => false));
    say(`sandbox on ${graph} (console at ${graph}/ while the story runs; webhooks to the Worker at ${worker}/webhook, handshake passed)`);
    const config = { base_url: graph, version: "v23.0", access_token: ACCESS_TOKEN };
    const call = async (operation, params) => {
      const [url, init] = toFetch(buildRequest(operation, params, config));
      const reply = await fetch(url, init);
      return parseResponse(operation, reply.status, new Uint8Array(await reply.arrayBuffer()), reply.headers);
    };
    const people = (path, body) =>
      fetch(`${graph}/_sandbox/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}) }).then((r) => r.json());
    const state = (groupId) => fetch(`${worker}/groups/${encodeURIComponent(groupId)}`).then((r) => (r.ok ? r.json() : null));

    // The Worker creates the group; the group id comes later, from the group_create event that
    // carries the create call's request_id (never from a listing).
    const asked = await fetch(`${worker}/groups`, { method: "POST", body: JSON.stringify({ subject: "Harbour Cycles riders", join_approval_mode: "approval_required" }) });
    const { request_id: requestId } = await asked.json();
    say(`the bot asked to create "Harbour Cycles riders": request ${requestId}`);
    const { group_id: groupId } = await until("the group_create event", async () => {
      const res = await fetch(`${worker}/created/${encodeURIComponent(requestId)}`);
      return res.ok ? res.json() : null;
    }, createWaitTries);
    const link = (await call("get_invite_link", { group_id: groupId })).invite_link;
    say(`the bot created "Harbour Cycles riders" (${groupId}), approval required, link ${link}`);
    for (const [name, waId] of [["Imogen", "447700900318"], ["Marcus", "14155550173"]]) {
      await people("join", { invite_link: link, wa_id: waId });
      say(`${name} (${waId}) asks to join`);
    }
    const members = await until("the Worker to approve both", async () => {
      const s = await state(groupId);
      return s && s.participants.length === 2 ? s.participants : null;
    });
    say(`the Worker approved both join requests: members ${members.map((m) => m.wa_id).join(", ")}`);
    // (The Worker also greets new members with a free-form text, which the sandbox refuses while
    // nobody has written yet: the group's service window is closed, as on the real API.)
    const before = new Set(Object.keys((await state(groupId)).messages));
    await people(`groups/${groupId}/messages`, { from: "447700900318", text: "Coffee stop at the harbour kiosk?" });
    say(`Imogen writes: "Coffee stop at the harbour kiosk?"`);
    const answered = await until("the Worker's answer to be delivered", async () => {
      const s = await state(groupId);
      const fresh = Object.entries(s?.messages ?? {}).filter(([id, m]) => !before.has(id) && Object.keys(m.recipients).length === 2);
      return fresh.length ? [fresh[0][0]] : null;
    });
    say(`the Worker answered in the group (${answered[0]}); delivered to both members`);
    for (const waId of ["447700900318", "14155550173"]) await people(`messages/${answered[0]}/read`, { wa_id: waId });
    const final = await until("both read receipts", async () => {
      const s = await state(groupId);
      const m = s?.messages[answered[0]];
      return m && Object.values(m.recipients).every((r) => r.status === "read") ? s : null;
    });
    say(`both read it; the Worker's ledger for the group: window open until ${new Date(final.service_window_until * 1000).toISOString()}, totals ${JSON.stringify(final.totals)}`);
    const log = await fetch(`${graph}/_sandbox/deliveries`).then((r) => r.json());
    say(`${log.deliveries.length} signed webhook deliveries, all accepted: ${log.deliveries.every((d) => d.delivered_at)}`);
    return { transcript, state: final, deliveries: log.deliveries };
  } finally {
    sandbox.kill();
    await mf.dispose();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runStory();
}
