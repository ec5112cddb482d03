// node --test: the packed tarball installed into an empty project, used by name with `import`
// and `require`, over the whole corpus; its types compiled with tsc --strict.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertBothEntries } from "./both.mjs";

const proj = process.env.WAGROUPS_TEST_PROJECT;
const tsc = fileURLToPath(new URL("../node_modules/.bin/tsc", import.meta.url));

test("the test project exists", () => {
  assert.ok(proj, "set WAGROUPS_TEST_PROJECT (make test-npm does)");
});

for (const [how, script] of [
  ["import", "run-node.mjs"],
  ["require", "run-node.cjs"],
]) {
  test(`${how} 'wagroups' and 'wagroups/webhooks' in Node: the corpus equals the Rust output through each`, () => {
    const results = JSON.parse(execFileSync("node", [script], { cwd: proj, maxBuffer: 64 << 20 }).toString());
    assertBothEntries(results, `node ${how}`);
  });
}

test("wagroups/webhooks exports exactly the receiving functions (the surface table's) and the errors, by import and require", () => {
  const script = `
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as w from "wagroups/webhooks";
const types = readFileSync("node_modules/wagroups/webhooks.d.ts", "utf8");
const declared = types.match(/^export \\{ (.*) \\} from/m)[1].split(", ");
const cjs = createRequire(import.meta.url)("wagroups/webhooks");
console.log(JSON.stringify({ declared, esm: Object.keys(w).sort(), cjs: Object.keys(cjs).sort() }));`;
  const out = JSON.parse(execFileSync("node", ["--input-type=module", "-e", script], { cwd: proj }).toString());
  const receiving = ["parseWebhook", "receive", "verifySignature", "verifySubscription", "version", "webhookHandler"];
  const errors = ["ApiError", "DecodeError", "ImageError", "ValidationError", "VerificationError", "WagroupsError", "WebhookError"];
  assert.deepEqual([...out.declared].sort(), [...receiving, ...errors].sort());
  // errorFromInfo comes with the error classes (it makes one from an error's JSON form).
  const expected = [...receiving, ...errors, "errorFromInfo"].sort();
  assert.deepEqual(out.esm, expected);
  assert.deepEqual(out.cjs, expected);
});

test("each entry's .wasm stays within its gzip budget", () => {
  // Measured as the build reports it, with gzip -9 (zlib's level 9 comes out 1.5% larger).
  const gz = (file) => execFileSync("gzip", ["-9c", join(proj, "node_modules", "wagroups", "glue", file)], { maxBuffer: 8 << 20 }).length;
  // The receiving side alone: what a webhook endpoint loads.
  const webhooks = gz("wagroups_webhooks_bg.wasm");
  assert.ok(webhooks <= 150_000, `wagroups/webhooks: ${webhooks} bytes gzip, over 150,000`);
  // Everything: the request builders, replies and state too.
  const main = gz("wagroups_wasm_bg.wasm");
  assert.ok(main <= 300_000, `wagroups: ${main} bytes gzip, over 300,000`);
  assert.ok(webhooks < main / 2, `the webhooks module (${webhooks}) should be far smaller than the main one (${main})`);
});

test("every function index.d.ts declares (generated from the core's surface table) is exported, by import and require", () => {
  const script = `
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as w from "wagroups";
const declared = [...readFileSync("node_modules/wagroups/index.d.ts", "utf8").matchAll(/^export function (\\w+)/gm)].map((m) => m[1]);
const cjs = createRequire(import.meta.url)("wagroups");
console.log(JSON.stringify({ declared, missing: declared.filter((n) => typeof w[n] !== "function" || typeof cjs[n] !== "function") }));`;
  const out = JSON.parse(execFileSync("node", ["--input-type=module", "-e", script], { cwd: proj }).toString());
  assert.ok(out.declared.includes("buildRequest") && out.declared.includes("checkMediaDownload"), out.declared.join());
  assert.deepEqual(out.missing, []);
});

test("require('wagroups') in Node (CommonJS)", () => {
  const out = JSON.parse(execFileSync("node", ["check.cjs"], { cwd: proj }).toString());
  assert.deepEqual(out, {
    type: "group_suspend",
    timestamp: 7,
    threw: { isWebhookError: true, isError: true, code: "webhook_wrong_object" },
  });
});

test("tsc --noEmit --strict compiles a realistic usage file against index.d.ts", () => {
  execFileSync(tsc, ["--noEmit", "--strict", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext", "--lib", "es2022,dom", "usage.ts"], { cwd: proj, stdio: "pipe" });
});

test("tsc rejects misuse (the typings constrain)", () => {
  const bad = `import { parseWebhook } from "wagroups";
for (const e of parseWebhook("").events) { if (e.type === "status") { const x: string = e.join_request_id; } }`;
  let failed = false;
  try {
    execFileSync(tsc, ["--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--lib", "es2022,dom", "--target", "es2022", "bad.ts"], {
      cwd: proj,
      stdio: "pipe",
      input: "",
      env: { ...process.env },
      ...writeBad(bad),
    });
  } catch (e) {
    failed = String(e.stdout).includes("join_request_id");
  }
  assert.ok(failed, "tsc accepted join_request_id on a status event");
});

test("tsc refuses what wagroups/webhooks does not export (a request builder)", () => {
  writeBad(`import { buildRequest } from "wagroups/webhooks";\nbuildRequest("list_groups", {});`);
  let failed = false;
  try {
    execFileSync(tsc, ["--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--lib", "es2022,dom", "--target", "es2022", "bad.ts"], { cwd: proj, stdio: "pipe" });
  } catch (e) {
    failed = String(e.stdout).includes("buildRequest");
  }
  assert.ok(failed, "tsc accepted buildRequest from wagroups/webhooks");
});

function writeBad(text) {
  execFileSync("node", ["-e", `require("fs").writeFileSync("bad.ts", ${JSON.stringify(text)})`], { cwd: proj });
  return {};
}

test("multipart bodies parse with fetch's own parser; unsafe boundaries and the error names", () => {
  const script = `
import { buildRequest, buildSetGroupPicture, toFetch, ValidationError, VerificationError, verifySignature } from "wagroups";
const jpeg = new Uint8Array([0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8, 0, 192, 0, 192, 1, 1, 0x11, 0, 0xFF, 0xD9]);
const parsed = [];
for (const boundary of [undefined, "Aa0+_-.boundary", "----frame58213"]) {
  const [, init] = toFetch(buildSetGroupPicture("G", jpeg, { boundary, filename: "crew.jpg" }));
  const form = await new Response(init.body, { headers: { "content-type": init.headers["content-type"] } }).formData();
  const file = form.get("file");
  parsed.push([form.get("messaging_product"), file.name, Array.from(new Uint8Array(await file.arrayBuffer()))]);
}
const refused = [];
for (const boundary of ["x,y", "a=b", "a/b", "(x)", "q?", "a:b", "has space"]) {
  try { buildSetGroupPicture("G", jpeg, { boundary }); refused.push("built"); }
  catch (e) { refused.push(e instanceof ValidationError ? e.errors.map((f) => f.code).join() : String(e)); }
}
const [, upInit] = toFetch(buildRequest("upload_media", { phone_number_id: "1", type: "application/pdf" }, {}, new TextEncoder().encode("%PDF-1.7\\n")));
const up = await new Response(upInit.body, { headers: { "content-type": upInit.headers["content-type"] } }).formData();
const uploaded = [up.get("messaging_product"), up.get("type"), up.get("file").name, up.get("file").type, await up.get("file").text()];
let verification = null;
try { verifySignature("{}", "sha256=" + "0".repeat(64), "s"); }
catch (e) { verification = [e.name, e instanceof VerificationError, e.kind]; }
console.log(JSON.stringify({ parsed, refused, uploaded, verification }));`;
  const out = JSON.parse(execFileSync("node", ["--input-type=module", "-e", script], { cwd: proj }).toString());
  const jpeg = [0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, 0, 192, 0, 192, 1, 1, 0x11, 0, 0xff, 0xd9];
  assert.deepEqual(out.parsed, Array(3).fill(["whatsapp", "crew.jpg", jpeg]));
  assert.deepEqual(out.refused, Array(7).fill("invalid_boundary"));
  assert.deepEqual(out.uploaded, ["whatsapp", "application/pdf", "upload.pdf", "application/pdf", "%PDF-1.7\n"]);
  assert.deepEqual(out.verification, ["VerificationError", true, "verification"]);
});

test("webhooks: raw as the exact text from a string or bytes; limits by option", () => {
  // The bounded output of the amplification inputs is checked in every runtime by the corpus
  // (webhooks/tolerance/amplification_*).
  const script = `
import { parseWebhook, ValidationError } from "wagroups";
const out = {};
const body = JSON.stringify({ object: "whatsapp_business_account", entry: [{ id: "1", changes: [{ field: "messages", value: { statuses: Array(3).fill({ id: "w", status: "sent" }) } }] }] });
out.limits = [parseWebhook(body, { maxItems: 3, maxBytes: body.length }).events.length];
try { parseWebhook(body, { maxItems: 0 }); } catch (e) { out.limits.push(e instanceof ValidationError); }
const exact = '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"statuses":[ {"id" : "w","status":"sent", "x": [1, 2], "é": "\\\\u00e9"} ]}}]}]}';
out.raw = [parseWebhook(exact).events[0].raw, parseWebhook(new TextEncoder().encode(exact)).events[0].raw];
console.log(JSON.stringify(out));`;
  const out = JSON.parse(execFileSync("node", ["--input-type=module", "-e", script], { cwd: proj }).toString());
  assert.deepEqual(out.limits, [3, true]);
  const raw = '{"id" : "w","status":"sent", "x": [1, 2], "é": "\\u00e9"}';
  assert.deepEqual(out.raw, [raw, raw]);
});
