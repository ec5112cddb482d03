// The optional webhook endpoint for fetch-style runtimes (Workers, Deno, Bun, Node's Request):
// what it answers is the core's decision (`receive`); only the waiting on the handler is here.

/** A fetch-style webhook endpoint over `api.receive`. */
export function handlerFactory(api) {
  return function webhookHandler(options = {}) {
    const { onEvents, onProblem, onError } = options;
    const report = onError ?? ((error) => console.error("wagroups webhookHandler:", error));
    return async function handle(request, ctx) {
      const method = request.method.toUpperCase();
      const body = method === "POST" ? new Uint8Array(await request.arrayBuffer()) : new Uint8Array(0);
      const answer = api.receive(method, new URL(request.url).search, request.headers, body, options);
      const headers = { "content-type": answer.content_type };
      if (answer.status === 405) headers.allow = "GET, POST";
      const work = async () => {
        if (answer.problem && onProblem) await onProblem(answer.problem, request);
        if (answer.batch && onEvents) await onEvents(answer.batch, request);
      };
      if (ctx && typeof ctx.waitUntil === "function") {
        // Workers: answer Meta now, finish the work after the response.
        ctx.waitUntil(work().catch(report));
      } else {
        // No way to keep working after answering: a handler that fails answers 500, so Meta
        // sends the delivery again instead of losing it.
        try {
          await work();
        } catch (error) {
          report(error);
          return new Response("handler failed", { status: 500, headers: { "content-type": "text/plain; charset=utf-8" } });
        }
      }
      return new Response(answer.body, { status: answer.status, headers });
    };
  };
}
