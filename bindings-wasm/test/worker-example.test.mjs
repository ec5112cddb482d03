// node --test: examples/cloudflare-worker (what `make demo` runs) under local workerd against a
// recording Graph stub: the handshake, signed deliveries, a forged one, and what it sent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runDemo } from "../../examples/cloudflare-worker/demo.mjs";

test("the example Worker verifies, parses and reacts", async () => {
  const { answers, sent, states } = await runDemo({ print: () => {} });
  assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 200, 200, 200, 401]);
  assert.equal(answers[0].body, "1158201444");
  assert.deepEqual(JSON.parse(answers[5].body).received, ["group_suspend", "error", "status", "status", "status"]);
  assert.equal(answers[6].body, "signature_mismatch");
  assert.deepEqual(sent.map((r) => [r.method, r.path.split("/").pop()]), [["POST", "join_requests"], ["POST", "messages"]]);
  assert.deepEqual(sent[0].body, { messaging_product: "whatsapp", join_requests: ["MTQxNTU1NTAxNzM6MTIwMzYzNDI3NzMxOTA0NDY4"] });
  assert.equal(sent[1].body.recipient_type, "group");
  assert.ok(sent.every((r) => r.authorization === "Bearer EAAG-demo-token"));
  // Each group's state, kept by its Durable Object.
  const [joined, requested] = Object.values(states);
  assert.deepEqual(joined.participants.map((p) => p.user_id ?? p.wa_id), ["GB.48213377590021846511"]);
  assert.deepEqual(joined.totals, { group_utility: { billable_deliveries: 3, free_deliveries: 0 } });
  assert.deepEqual(requested.pending_join_requests.map((r) => r.join_request_id), ["MTQxNTU1NTAxNzM6MTIwMzYzNDI3NzMxOTA0NDY4"]);
  assert.deepEqual(JSON.parse(answers[1].body).changes, ["join_request_pending"]);
});
