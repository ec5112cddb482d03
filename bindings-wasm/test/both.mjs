// The corpus results of one runtime, through both entries: every case through `wagroups`, the
// receiving ones through `wagroups/webhooks`, all equal to the Rust output.
import assert from "node:assert/strict";

export function assertBothEntries({ main, webhooks }, where) {
  assert.ok(main.length > 400, `${where}: only ${main.length} cases through wagroups`);
  assert.ok(webhooks.length > 100, `${where}: only ${webhooks.length} cases through wagroups/webhooks`);
  assert.deepEqual(main.filter((r) => !r.ok), [], `${where}: wagroups differs`);
  assert.deepEqual(webhooks.filter((r) => !r.ok), [], `${where}: wagroups/webhooks differs`);
}
