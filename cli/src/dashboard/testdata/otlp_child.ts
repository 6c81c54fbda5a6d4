/**
 * A process for the OTLP receiver test: serves one request on the port given
 * as its argument, fetching it itself, and inside the handler records a span
 * of its own through `@opentelemetry/api` (nested: client → server →
 * `load greeting`, the last one failed). Prints one line, then exits, which
 * flushes Deno's exporter.
 *
 * @module
 */
import { SpanStatusCode, trace } from "@opentelemetry/api";

const port = Number(Deno.args[0]);
const tracer = trace.getTracer("otlp-child");
const server = Deno.serve(
  { hostname: "127.0.0.1", port, onListen() {} },
  () =>
    tracer.startActiveSpan("load greeting", (span) => {
      span.setAttributes({
        "greeting.count": 3,
        "greeting.cached": false,
        "greeting.tags": ["a", "b"],
      });
      span.setStatus({ code: SpanStatusCode.ERROR, message: "cache miss" });
      span.end();
      return new Response("hello");
    }),
);
const response = await fetch(`http://127.0.0.1:${port}/greet`);
console.log(await response.text());
await server.shutdown();
