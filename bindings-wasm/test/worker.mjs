// A Worker in the user project: imports both entries by name (resolved through their `workerd`
// condition by wrangler's bundler) and runs the cases it is sent through each.
import * as w from "wagroups";
import * as webhooks from "wagroups/webhooks";
import { runBoth } from "./runner.mjs";

export default {
  async fetch(request) {
    const cases = await request.json();
    return Response.json(runBoth(w, webhooks, cases));
  },
};
