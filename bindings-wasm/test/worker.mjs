// A Worker in the user project: imports the package by name (resolved through its `workerd`
// condition by wrangler's bundler) and runs the cases it is sent.
import * as w from "wagroups";
import { runAll } from "./runner.mjs";

export default {
  async fetch(request) {
    const cases = await request.json();
    return Response.json(runAll(w, cases));
  },
};
