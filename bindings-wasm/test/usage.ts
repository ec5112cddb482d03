// Compiled with `tsc --noEmit --strict` in the user project: realistic use of the typings.
import {
  buildRequest,
  parseResponse,
  parseWebhook,
  toFetch,
  verifySignature,
  createClient,
  nextAttempt,
  receive,
  webhookHandler,
  type ErrorInfo,
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

export async function withClient(): Promise<string> {
  const client = createClient({ access_token: "t" }, { sleep: (ms) => new Promise((r) => setTimeout(r, ms)), maxAttempts: 5 });
  const created = await client.createGroup({ phone_number_id: "1", subject: "Ride" });
  const info = await client.call("get_group_info", { group_id: "g" });
  let count = 0;
  for await (const _ of client.paginate("list_groups", { phone_number_id: "1" })) count++;
  const media = await client.downloadMedia("123");
  let attempts = 0;
  try {
    await client.deleteGroup({ group_id: "g" });
  } catch (e) {
    if (e instanceof ApiError) attempts = e.attempts ?? 1;
  }
  const decision = nextAttempt({ code: "x", retry: "backoff" } as unknown as ErrorInfo, 1, { max_attempts: 3 }, 0.5);
  const delay = decision.action === "retry" ? decision.delay_ms : 0;
  return `${created.request_id ?? ""}${info.subject ?? ""}${count}${media.data.length}${media.sha256}${delay}${attempts}`;
}

export const worker = {
  fetch: webhookHandler({
    appSecrets: ["a", "b"],
    verifyToken: "v",
    onEvents: (batch) => void batch.events.length,
    onProblem: (problem) => void problem.code,
  }),
};

export function answer(body: Uint8Array): number {
  const r = receive("POST", "", [["x-hub-signature-256", "sha256=00"]], body, { appSecret: "s" });
  return r.status + (r.batch?.events.length ?? 0) + (r.problem ? 1 : 0);
}

// The receiving side alone, from its own entry: the same types.
import * as receiving from "wagroups/webhooks";

export function onlyReceive(body: Uint8Array, signature: string | null, secret: string): receiving.Event[] {
  receiving.verifySignature(body, signature, secret);
  const batch: receiving.Batch = receiving.parseWebhook(body, { maxItems: 100 });
  return batch.events.filter((e) => e.type === "group_create");
}

export const receiver = {
  fetch: receiving.webhookHandler({
    appSecret: "s",
    verifyToken: "t",
    onEvents: (batch: receiving.Batch) => batch.events.length,
    onProblem: (problem: receiving.WagroupsError) => problem.code,
  }),
};
