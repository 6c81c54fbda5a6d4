import type { SpanRecord } from "./span_record.ts";

/** HTTP methods: the whole name Deno gives its HTTP server and client spans. */
const HTTP_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * Names a span for people: a span named only by its HTTP method (as Deno
 * names its HTTP spans) gets the route or path a server answered, or the URL
 * a client called; any other span keeps its name.
 *
 * @param span The span.
 * @returns E.g. `POST /api/invoices`, `GET http://127.0.0.1:8110/api/stats`, `billing.invoice.send`.
 * @example
 * ```ts
 * import { spanLabel } from "./span_label.ts";
 * import type { SpanRecord } from "./span_record.ts";
 *
 * declare const span: SpanRecord;
 * console.log(spanLabel(span));
 * ```
 */
export function spanLabel(span: Pick<SpanRecord, "name" | "attributes">): string {
  if (!HTTP_METHODS.has(span.name)) return span.name;
  const { attributes } = span;
  const where = attributes["http.route"] ?? attributes["url.path"] ?? attributes["url.full"];
  return where === undefined ? span.name : `${span.name} ${where}`;
}
