// A Cloudflare Worker for WhatsApp groups, on the `wagroups` npm package.
// GET: Meta's verification handshake. POST: the signature over the raw body, 200 at once, then
// (in waitUntil) every event: join requests approved, new members greeted, with fetch to the
// configured Graph base URL. Vars: APP_SECRET (comma-separated during a rotation), VERIFY_TOKEN,
// ACCESS_TOKEN, PHONE_NUMBER_ID, GRAPH_BASE_URL (optional), GRAPH_VERSION (optional).
import {
  buildRequest,
  parseResponse,
  parseWebhook,
  toFetch,
  verifySignature,
  verifySubscription,
  VerificationError,
  WebhookError,
  ApiError,
} from "wagroups";

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (request.method === "GET") {
      try {
        return new Response(verifySubscription(url.searchParams, env.VERIFY_TOKEN));
      } catch (e) {
        if (e instanceof VerificationError) return new Response("forbidden", { status: 403 });
        throw e;
      }
    }
    if (request.method !== "POST") return new Response("method not allowed", { status: 405 });

    const body = new Uint8Array(await request.arrayBuffer()); // raw bytes: never re-serialise
    let events;
    try {
      verifySignature(body, request.headers.get("x-hub-signature-256"), env.APP_SECRET.split(","));
      events = parseWebhook(body).events;
    } catch (e) {
      if (e instanceof VerificationError) return new Response(e.code, { status: 401 });
      if (e instanceof WebhookError) return new Response(e.code, { status: 400 });
      throw e;
    }
    ctx.waitUntil(react(events, env));
    return Response.json({ received: events.map((e) => e.type) });
  },
};

const config = (env) => ({
  base_url: env.GRAPH_BASE_URL ?? "https://graph.facebook.com",
  version: env.GRAPH_VERSION ?? "v23.0",
  access_token: env.ACCESS_TOKEN,
});

async function send(env, operation, params) {
  const [url, init] = toFetch(buildRequest(operation, params, config(env)));
  const reply = await fetch(url, init);
  try {
    return parseResponse(operation, reply.status, new Uint8Array(await reply.arrayBuffer()), reply.headers);
  } catch (e) {
    if (e instanceof ApiError) console.log(`${operation}: ${e.code} (retry: ${e.retry})`);
    else throw e;
  }
}

async function react(events, env) {
  // Production code would first record each event.dedup_key (KV, D1) to handle it once.
  for (const event of events) {
    if (!event.group_id) continue;
    if (event.type === "group_join_request_created" && event.join_request_id) {
      await send(env, "approve_join_requests", { group_id: event.group_id, join_requests: [event.join_request_id] });
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
