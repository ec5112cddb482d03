// The optional client: only the sending and the waiting happen here. Every decision — the
// request, the reply, whether and when to retry — is the core's, through the same functions the
// package exports.
import { ApiError } from "./errors.js";

const sleepMs = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `create_group` → `createGroup`. */
const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

/** `"data.groups"` → the array at that path of a reply, or an empty list. */
function itemsAt(reply, path) {
  let v = reply;
  for (const key of path.split(".")) v = v?.[key];
  return Array.isArray(v) ? v : [];
}

/** A client over `api` (the package's bound functions). */
export function clientFactory(api) {
  return function createClient(config = {}, options = {}) {
    const {
      fetch: send = globalThis.fetch,
      sleep = sleepMs,
      random = Math.random,
      maxAttempts = 3,
      baseDelayMs,
      maxDelayMs,
    } = options;
    if (typeof send !== "function") throw new TypeError("createClient needs a fetch function: pass { fetch }");
    const policy = { max_attempts: maxAttempts, base_delay_ms: baseDelayMs, max_delay_ms: maxDelayMs };
    const table = new Map(api.operations().map((op) => [op.name, op]));

    /**
     * Send `operation` until the core says stop: `{ reply, body }` (the raw reply bytes too).
     * `restartFrom`: the first page's parameters, for a listing the core may ask to restart.
     */
    async function exchange(operation, params, file, restartFrom) {
      let current = params;
      for (let attempt = 1; ; ) {
        const [url, init] = api.toFetch(api.buildRequest(operation, current, config, file));
        const response = await send(url, init);
        const body = new Uint8Array(await response.arrayBuffer());
        try {
          return { reply: api.parseResponse(operation, response.status, body, response.headers), body, params: current };
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          const next = api.nextAttempt(error, attempt, policy, random());
          if (next.action === "retry") {
            await sleep(next.delay_ms);
          } else if (next.action === "restart" && restartFrom !== undefined) {
            current = restartFrom;
          } else {
            error.attempts = attempt;
            throw error;
          }
          attempt = next.attempt;
        }
      }
    }

    const client = {
      config,
      /** The typed reply of one operation; rejects with the typed errors once retries are spent. */
      async call(operation, params = {}, file = undefined) {
        // A Blob (or File) is read once; bytes of every other kind go as they are.
        const data = typeof Blob !== "undefined" && file instanceof Blob ? new Uint8Array(await file.arrayBuffer()) : file;
        return (await exchange(operation, params, data)).reply;
      },
      /** Every item of every page of a listing (`list_groups`, `list_join_requests`). Items may
       * repeat after the core restarts a listing whose cursor expired: key them by id. */
      async *paginate(operation, params = {}) {
        const items = table.get(operation)?.items;
        if (items === undefined) throw new TypeError(`${operation} is not a listing`);
        const first = { ...params };
        delete first.after;
        delete first.before;
        let page = params;
        while (page !== null) {
          const { reply, body, params: sent } = await exchange(operation, page, undefined, first);
          yield* itemsAt(reply, items);
          page = api.nextPageParams(operation, sent, body);
        }
      },
      /** A media file's bytes, checked against the size and SHA-256 that `get_media` announced. */
      async downloadMedia(mediaId) {
        const info = await client.call("get_media", { media_id: mediaId });
        const { body } = await exchange("download_media", { url: info.url });
        const check = api.checkMediaDownload(body, info);
        return { data: body, info, ...check };
      },
    };
    for (const name of table.keys()) {
      // downloadMedia is the client's own: by media id, the bytes checked.
      if (name !== "download_media") client[camel(name)] = (params, file) => client.call(name, params, file);
    }
    return client;
  };
}
