// Runs fixture cases through a loaded `wagroups` module. Shared by the Node, workerd, Chromium,
// Deno and Bun runs so that all execute the same code over the same corpus, through both
// entries: `wagroups` (every case) and `wagroups/webhooks` (the receiving cases).

function fromBase64(b64) {
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

function bodyOf(input) {
  // [text, times, separator] each, {i} in the text standing for the repetition's number:
  // bodies too large to store, built alike everywhere.
  if (input.body_parts !== undefined) {
    return input.body_parts.map(([text, times, sep]) => Array.from({ length: times }, (_, i) => text.replaceAll("{i}", String(i))).join(sep)).join("");
  }
  return input.body_base64 !== undefined ? fromBase64(input.body_base64) : input.body;
}

function run(w, input) {
  const op = input.operation ?? "";
  switch (input.kind) {
    case "request":
      return w.buildRequest(op, input.params, input.config ?? {}, input.file_base64 === undefined ? undefined : fromBase64(input.file_base64));
    case "state_apply": {
      // One delivery per call, as a receiver applies them.
      let states = input.states;
      const changes = [];
      const ignored = [];
      for (const d of input.deliveries) {
        const out = w.applyEvents(states, d);
        states = out.state;
        changes.push(...out.changes);
        ignored.push(...out.ignored);
      }
      return { state: states ?? {}, changes, ignored };
    }
    case "state_reply":
      return w.applyReply(input.states, op, input.params, input.reply, input.at);
    case "retry":
      return w.nextAttempt(input.error, input.attempt, input.policy, input.random);
    case "receive": {
      const answer = w.receive(input.method, input.query, input.headers, bodyOf(input), {
        appSecrets: input.secrets,
        verifyToken: input.verify_token ?? undefined,
        maxBytes: input.limits?.max_bytes,
        maxItems: input.limits?.max_items,
      });
      // The problem is an error instance here; the corpus holds its JSON form.
      return { ...answer, problem: answer.problem === null ? null : answer.problem.info };
    }
    case "state_seed":
      return w.seedFromGroupInfo(input.reply, input.read_at);
    case "state_quote":
      return w.quoteMessage(input.state, input.now, input.template_category);
    case "state_prune":
      return w.prune(input.state, input.now, input.keep);
    case "media_download":
      return w.checkMediaDownload(bodyOf(input), input.info);
    case "response":
      return w.parseResponse(op, input.status, bodyOf(input), input.headers ?? null);
    case "next_page":
      return w.nextPageParams(op, input.params, input.body);
    case "webhook": {
      const body = bodyOf(input);
      const batch = w.parseWebhook(body, input.limits && { maxBytes: input.limits.max_bytes, maxItems: input.limits.max_items });
      if (input.output_bound === undefined) return batch;
      // A generated delivery: its event count, and whether the batch as compact JSON is at
      // most output_bound times the delivery's size (both in UTF-8 bytes).
      const written = new TextEncoder().encode(JSON.stringify(batch)).length;
      const size = typeof body === "string" ? new TextEncoder().encode(body).length : body.length;
      return { events: batch.events.length, output_within_bound: written <= input.output_bound * size };
    }
    case "signature":
      w.verifySignature(bodyOf(input), input.header, input.secrets);
      return true;
    case "subscription":
      return w.verifySubscription(input.query, input.verify_token);
    default:
      throw new Error(`unknown fixture kind ${input.kind}`);
  }
}

export function outcome(w, input) {
  if (input.kind === "image") {
    const data = fromBase64(input.base64);
    const padded = new Uint8Array(data.length + (input.pad_zero_bytes ?? 0));
    padded.set(data);
    return w.checkGroupPicture(padded);
  }
  try {
    return { ok: run(w, input) };
  } catch (e) {
    if (!(e instanceof w.WagroupsError)) throw e;
    return { error: e.info };
  }
}

export function deepEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
}

/** The kinds of case the `wagroups/webhooks` entry can run: the receiving side. */
const RECEIVING = new Set(["webhook", "signature", "subscription", "receive"]);

/** Each entry's results: the main one over every case, the webhooks one over its cases. */
export function runBoth(main, webhooks, cases) {
  return {
    main: runAll(main, cases),
    webhooks: runAll(webhooks, cases.filter(({ case: c }) => RECEIVING.has(c.input.kind))),
  };
}

/** Every case: `{name, ok}` plus what came out when it differs. */
export function runAll(w, cases) {
  return cases.map(({ name, case: c }) => {
    let got;
    try {
      got = outcome(w, c.input);
    } catch (e) {
      got = { thrown: String(e && e.stack ? e.stack : e) };
    }
    const ok = deepEqual(got, c.expect);
    return ok ? { name, ok } : { name, ok, got, expect: c.expect };
  });
}
