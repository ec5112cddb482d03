// In the user project: `require` both entries by name (CommonJS) and run the corpus through each
// (the shared runner is an ES module, loaded with import()).
const { readFileSync } = require("node:fs");
const w = require("wagroups");
const webhooks = require("wagroups/webhooks");

import("./runner.mjs").then(({ runBoth }) => {
  const results = runBoth(w, webhooks, JSON.parse(readFileSync("cases.json", "utf8")));
  process.stdout.write(JSON.stringify(results));
});
