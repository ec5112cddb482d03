// Compiled with `tsc --noEmit --strict` in the user project: realistic use of the typings.
import {
  buildRequest,
  parseResponse,
  parseWebhook,
  toFetch,
  verifySignature,
  ApiError,
  ValidationError,
  type Event,
  type Request,
} from "wagroups";

export function react(body: Uint8Array, signature: string | null, secret: string): Request[] {
  verifySignature(body, signature, [secret]);
  const out: Request[] = [];
  for (const event of parseWebhook(body).events) {
    switch (event.type) {
      case "group_join_request_created":
        if (event.group_id && event.join_request_id) {
          out.push(buildRequest("approve_join_requests", { group_id: event.group_id, join_requests: [event.join_request_id] }));
        }
        break;
      case "status": {
        const key: string | null = event.charge_key;
        if (key !== null) console.log(key, event.pricing?.category);
        break;
      }
      case "message":
        if (event.kind === "text") console.log(event.text?.toUpperCase());
        break;
      case "unknown":
        console.log(event.reason, event.raw);
        break;
      default:
        exhaustive(event);
    }
  }
  return out;
}

function exhaustive(event: Exclude<Event, { type: "group_join_request_created" | "status" | "message" | "unknown" }>): void {
  void event.dedup_key;
}

export async function send(request: Request): Promise<number | undefined> {
  const [url, init] = toFetch(request);
  const reply = await fetch(url, init);
  try {
    const result = parseResponse("approve_join_requests", reply.status, new Uint8Array(await reply.arrayBuffer()), reply.headers);
    if (result.outcome === "partially_failed") return result.failed_join_requests?.length ?? 0;
    const sent = parseResponse("send_message", 200, "{}");
    return sent.message_id?.length;
  } catch (e) {
    if (e instanceof ApiError && e.retry === "backoff") return e.retryAfterSeconds ?? 1;
    if (e instanceof ValidationError) return e.errors.length;
    throw e;
  }
}
