import { html, type SafeHtml } from "./html.ts";
import type { SpanRecord } from "./span_record.ts";
import { spanLabel } from "./span_label.ts";
import type { TraceSummary } from "./trace_store.ts";

/**
 * Renders the trace list: newest first, with a service filter.
 *
 * @param traces The traces to list.
 * @param services Every service that sent spans.
 * @param service The service filtered on, if any.
 * @returns The content.
 */
export function renderTraceList(
  traces: readonly TraceSummary[],
  services: readonly string[],
  service: string | undefined,
): SafeHtml {
  return html`<form class="filters" method="get" action="/traces">
<label>Service<select name="service"><option value="">all</option>${
    services.map((name) =>
      html`<option${
        name === service
          ? html`
            selected
          `
          : null
      }>${name}</option>`
    )
  }</select></label><button>Filter</button>
</form>
${
    traces.length === 0
      ? html`
        <p
          class="muted">No trace yet. Every process of <code>netscript dev</code> sends its spans here; call an API and reload.</p>
      `
      : html`
        <table>
          <thead>
            <tr>
              <th scope="col">Operation</th>
              <th scope="col">Service</th>
              <th scope="col">Started</th>
              <th scope="col" class="num">Duration</th>
              <th scope="col" class="num">Spans</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>${traces.map((trace) =>
            html`
              <tr>
                <th scope="row"><a href="/traces/${trace.traceId}">${trace.rootName}</a></th>
                <td>${trace.service}${trace.services.length > 1
                  ? html`
                    <span class="muted">+${trace.services.length - 1}</span>
                  `
                  : null}</td>
                <td class="mono muted">${new Date(trace.startMs).toISOString().slice(11, 23)}</td>
                <td class="num">${formatDuration(trace.durationMs)}</td>
                <td class="num">${trace.spanCount}</td>
                <td class="state state-${trace.status}">${trace.status}</td>
              </tr>
            `
          )}</tbody>
        </table>
      `
  }`;
}

/**
 * Renders one trace as a waterfall: each span indented under its parent,
 * with a bar placed on the trace's time line and its attributes on demand.
 *
 * @param traceId The trace's id.
 * @param spans The trace's spans, sorted by start.
 * @returns The content.
 */
export function renderWaterfall(traceId: string, spans: readonly SpanRecord[]): SafeHtml {
  const start = Math.min(...spans.map((span) => span.startMs));
  const end = Math.max(...spans.map((span) => span.startMs + span.durationMs));
  const total = Math.max(end - start, 0.001);
  return html`
    <p><span class="mono">${traceId}</span> · ${formatDuration(total)} · ${spans
      .length} spans · <a href="/logs?trace=${traceId}">logs of this trace</a></p>
    <table class="waterfall">
      <thead>
        <tr>
          <th scope="col">Span</th>
          <th scope="col">Service</th>
          <th scope="col" class="num">Duration</th>
          <th scope="col">Time line</th>
        </tr>
      </thead>
      <tbody>${_inTreeOrder(spans).map(({ span, depth }) => {
        const left = ((span.startMs - start) / total) * 100;
        const width = (span.durationMs / total) * 100;
        return html`
          <tr>
            <td style="padding-left: ${8 + depth * 16}px">
              <details>
                <summary>${spanLabel(span)}${span.status === "error"
                  ? html`
                    <span class="state state-error">error${span.statusMessage
                      ? `: ${span.statusMessage}`
                      : ""}</span>
                  `
                  : null}</summary>
                <table>${[
                  ["kind", span.kind],
                  ["span id", span.spanId],
                  ...Object.entries(span.attributes),
                ].map((
                  [key, value],
                ) =>
                  html`
                    <tr>
                      <th scope="row" class="mono">${key}</th>
                      <td class="mono">${value}</td>
                    </tr>
                  `
                )}</table>
              </details>
            </td>
            <td>${span.service}</td>
            <td class="num">${formatDuration(span.durationMs)}</td>
            <td class="bar">
              <div
                class="track"><span class="${span.status === "error"
                  ? "error"
                  : ""}" style="left: ${left.toFixed(2)}%; width: ${width.toFixed(
                    2,
                  )}%"></span></div>
            </td>
          </tr>
        `;
      })}</tbody>
    </table>
  `;
}

/**
 * Formats a duration in ms or s.
 *
 * @param ms The duration in milliseconds.
 * @returns E.g. `0.42 ms`, `12.3 ms`, `1.25 s`.
 */
export function formatDuration(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** The spans depth-first from the roots, children by start; a span whose parent is missing is a root. */
function _inTreeOrder(spans: readonly SpanRecord[]): { span: SpanRecord; depth: number }[] {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string | null, SpanRecord[]>();
  for (const span of spans) {
    const parent = span.parentSpanId !== null && ids.has(span.parentSpanId)
      ? span.parentSpanId
      : null;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const ordered: { span: SpanRecord; depth: number }[] = [];
  const visit = (parent: string | null, depth: number) => {
    for (const span of children.get(parent) ?? []) {
      ordered.push({ span, depth });
      visit(span.spanId, depth + 1);
    }
  };
  visit(null, 0);
  return ordered;
}
