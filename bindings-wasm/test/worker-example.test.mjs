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
  // The join request approved, the new member greeted, the group message answered.
  const byPath = sent.map((r) => [r.method, r.path.split("/").pop()]).sort();
  assert.deepEqual(byPath, [["POST", "join_requests"], ["POST", "messages"], ["POST", "messages"]]);
  const approval = sent.find((r) => r.path.endsWith("/join_requests"));
  assert.deepEqual(approval.body, { messaging_product: "whatsapp", join_requests: ["MTQxNTU1NTAxNzM6MTIwMzYzNDI3NzMxOTA0NDY4"] });
  assert.ok(sent.filter((r) => r.path.endsWith("/messages")).every((r) => r.body.recipient_type === "group"));
  assert.ok(sent.every((r) => r.authorization === "Bearer EAAG-demo-token"));
  // Each group's state, kept by its Durable Object.
  const [joined, requested] = Object.values(states);
  assert.deepEqual(joined.participants.map((p) => p.user_id ?? p.wa_id), ["GB.48213377590021846511"]);
  assert.deepEqual(joined.totals, { group_utility: { billable_deliveries: 3, free_deliveries: 0 } });
  assert.deepEqual(requested.pending_join_requests.map((r) => r.join_request_id), ["MTQxNTU1NTAxNzM6MTIwMzYzNDI3NzMxOTA0NDY4"]);
  assert.deepEqual(JSON.parse(answers[1].body).changes, ["join_request_pending"]);
});

for (const createDelayMs of [0, 3000]) test(`the example Worker against the local sandbox: the story of a group (created after ${createDelayMs} ms)`, async () => {
  const { runStory } = await import("../../examples/cloudflare-worker/story.mjs");
  const { transcript, state, deliveries } = await runStory({ print: () => {}, createDelayMs });
  assert.ok(transcript.some((l) => /asked to create .* request [0-9A-F]{32}/.test(l)), transcript.join("\n"));
  assert.equal(state.participants.length, 2, transcript.join("\n"));
  // The answer the members read (a greeting may also have gone out once the window opened).
  const read = Object.values(state.messages).filter((m) => Object.values(m.recipients).every((r) => r.status === "read"));
  assert.ok(read.length >= 1 && Object.keys(read[0].recipients).length === 2, JSON.stringify(state.messages));
  assert.equal(state.totals.group_service.billable_deliveries, 0);
  assert.ok(state.totals.group_service.free_deliveries >= 2, JSON.stringify(state.totals));
  assert.ok(deliveries.length >= 6 && deliveries.every((d) => d.delivered_at), JSON.stringify(deliveries.map((d) => [d.attempts, d.last_status])));
});
