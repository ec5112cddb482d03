// A Cloudflare Worker for WhatsApp groups, on the `wagroups` npm package.
// /webhook answers as the library's `receive` decides: Meta's verification handshake (GET), then
// the signature over the raw body (401), then the parse (a signed delivery it cannot read is
// answered 200 and logged, or Meta would send it again for days); the delivery folded into each group's state, one Durable Object per group (it handles one
// request at a time, so concurrent deliveries never lose an update); 200; then (in waitUntil)
// every event: join requests approved, new members greeted, messages answered, through the
// library's client (fetch to the configured Graph base URL, retries as the library decides). GET /groups/<group id>: the group's state. POST /groups {subject, …}: creates a group
// and answers its request_id at once (202); creation is asynchronous, so GET /created/<request
// id> answers the group id once the group_create event with that request_id has come (404
// before). Vars: APP_SECRET (comma-separated during a rotation), VERIFY_TOKEN, ACCESS_TOKEN,
// PHONE_NUMBER_ID, GRAPH_BASE_URL, GRAPH_VERSION (both optional); binding GROUPS: the
// GroupLedger Durable Object namespace.
import { applyEvents, applyReply, buildRequest, createClient, receive, toFetch, ApiError } from "wagroups";

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (request.method === "POST" && url.pathname === "/groups") {
      const params = { phone_number_id: env.PHONE_NUMBER_ID, ...(await request.json()) };
      const [target, init] = toFetch(buildRequest("create_group", params, config(env)));
      const reply = await fetch(target, init);
      const body = new Uint8Array(await reply.arrayBuffer());
      if (!reply.ok) return new Response(body, { status: 502 });
      // The ledger keeps the creation under its request_id until the group_create event names it.
      return creations(env).fetch("https://ledger/creation/reply", { method: "POST", body: JSON.stringify({ params, reply: new TextDecoder().decode(body) }) });
    }
    if (request.method === "GET" && url.pathname.startsWith("/created/")) {
      const requestId = decodeURIComponent(url.pathname.slice("/created/".length));
      return creations(env).fetch(`https://ledger/creation?request_id=${encodeURIComponent(requestId)}`);
    }
    if (request.method === "GET" && url.pathname.startsWith("/groups/")) {
      const groupId = decodeURIComponent(url.pathname.slice("/groups/".length));
      return ledger(env, groupId).fetch("https://ledger/state");
    }
    const body = new Uint8Array(await request.arrayBuffer()); // raw bytes: never re-serialise
    const answer = receive(request.method, url.search, request.headers, body, {
      appSecrets: env.APP_SECRET.split(","),
      verifyToken: env.VERIFY_TOKEN,
    });
    if (answer.problem) console.log(`webhook ${answer.status}: ${answer.problem.code}`);
    if (!answer.batch) {
      // The handshake's challenge, or a refusal (its code), or a signed delivery it cannot read.
      return new Response(answer.problem?.code ?? answer.body, { status: answer.status, headers: { "content-type": answer.content_type } });
    }
    const { events } = answer.batch;
    // Stored before answering: if this fails, Meta delivers again (folding is idempotent).
    const groups = [...new Set(events.map((e) => e.group_id).filter(Boolean))];
    const changes = [];
    for (const groupId of groups) {
      const res = await ledger(env, groupId).fetch("https://ledger/apply", { method: "POST", body, headers: { "x-group-id": groupId } });
      changes.push(...(await res.json()).changes);
    }
    if (events.some((e) => e.type === "group_create" && e.request_id)) {
      await creations(env).fetch("https://ledger/creation/events", { method: "POST", body });
    }
    ctx.waitUntil(react(events, env));
    return Response.json({ received: events.map((e) => e.type), changes: changes.map((c) => c.type) });
  },
};

const ledger = (env, groupId) => env.GROUPS.get(env.GROUPS.idFromName(groupId));
// One object for the creations still waiting for their group_create event.
const creations = (env) => env.GROUPS.get(env.GROUPS.idFromName("creations"));

/** One group's state and cost ledger: what applyEvents folds, kept in Durable Object storage. */
export class GroupLedger {
  constructor(state) {
    this.storage = state.storage;
  }

  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname.startsWith("/creation")) return this.creation(request, url);
    const stored = (await this.storage.get("state")) ?? null;
    if (request.method === "GET") return Response.json(stored, { status: stored ? 200 : 404 });
    const groupId = request.headers.get("x-group-id");
    const update = applyEvents(stored ? { [groupId]: stored } : null, new Uint8Array(await request.arrayBuffer()));
    if (update.state[groupId]) await this.storage.put("state", update.state[groupId]);
    return Response.json({ changes: update.changes.filter((c) => c.group_id === groupId) });
  }

  /** Creations by request_id: the create reply starts one, the group_create event ends it. */
  async creation(request, url) {
    if (request.method === "GET") {
      const done = await this.storage.get(`created:${url.searchParams.get("request_id")}`);
      return Response.json(done ?? { status: "creating" }, { status: done ? 200 : 404 });
    }
    const waiting = Object.fromEntries([...(await this.storage.list({ prefix: "pending:" }))].map(([k, v]) => [k.slice("pending:".length), v]));
    const now = (Date.now() / 1000) | 0;
    if (url.pathname === "/creation/reply") {
      const { params, reply } = await request.json();
      const update = applyReply(waiting, "create_group", params, reply, now);
      const [requestId] = update.changes.filter((c) => c.type === "group_create_requested").map((c) => c.request_id);
      if (requestId) await this.storage.put(`pending:${requestId}`, update.state[requestId]);
      return Response.json({ request_id: requestId }, { status: 202 });
    }
    const update = applyEvents(waiting, new Uint8Array(await request.arrayBuffer()));
    for (const change of update.changes) {
      if (change.type === "group_created" && change.request_id) {
        await this.storage.put(`created:${change.request_id}`, { group_id: change.group_id });
        await this.storage.delete(`pending:${change.request_id}`);
      } else if (change.type === "group_create_failed") {
        await this.storage.put(`created:${change.request_id}`, { errors: change.errors });
        await this.storage.delete(`pending:${change.request_id}`);
      }
    }
    return Response.json({ changes: update.changes.map((c) => c.type) });
  }
}

const config = (env) => ({
  base_url: env.GRAPH_BASE_URL ?? "https://graph.facebook.com",
  version: env.GRAPH_VERSION ?? "v23.0",
  access_token: env.ACCESS_TOKEN,
});

async function send(env, operation, params) {
  try {
    return await createClient(config(env)).call(operation, params);
  } catch (e) {
    if (e instanceof ApiError) console.log(`${operation}: ${e.code} (retry: ${e.retry}, after ${e.attempts} attempt(s))`);
    else throw e;
  }
}

async function react(events, env) {
  // Production code would first record each event.dedup_key (KV, D1) to handle it once.
  for (const event of events) {
    if (!event.group_id) continue;
    if (event.type === "group_join_request_created" && event.join_request_id) {
      await send(env, "approve_join_requests", { group_id: event.group_id, join_requests: [event.join_request_id] });
    } else if (event.type === "message" && event.text) {
      // A member just wrote, so the group's service window is open: a free-form answer may go.
      await send(env, "send_message", {
        phone_number_id: env.PHONE_NUMBER_ID,
        group_id: event.group_id,
        type: "text",
        text: { body: "Thanks, noted! A rider from the shop will answer here." },
      });
    } else if (event.type === "group_participants_add" && event.added_participants.length > 0) {
      await send(env, "send_message", {
        phone_number_id: env.PHONE_NUMBER_ID,
        group_id: event.group_id,
        type: "text",
        text: { body: `Welcome! ${event.added_participants.length} new member(s) joined.` },
      });
    }
  }
}
