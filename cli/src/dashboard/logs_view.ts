import { html, type SafeHtml } from "./html.ts";
import type { LogEntry, LogFilter } from "./log_store.ts";

/** The levels a filter can ask for, lowest first. */
const LEVELS = ["debug", "info", "warn", "error"] as const;

/**
 * Reads a log filter from a URL's query: `resource`, `level` (the lowest
 * shown), `text` and `trace`; anything else is ignored, and an unknown
 * level means no level filter.
 *
 * @param query The query.
 * @returns The filter.
 */
export function logFilterFrom(query: URLSearchParams): LogFilter {
  const level = query.get("level");
  return {
    ...(query.get("resource") ? { resource: query.get("resource")! } : {}),
    ...(LEVELS.includes(level as LogEntry["level"]) ? { level: level as LogEntry["level"] } : {}),
    ...(query.get("text") ? { text: query.get("text")! } : {}),
    ...(query.get("trace") ? { traceId: query.get("trace")!.toLowerCase() } : {}),
  };
}

/**
 * Renders one log line as a table row: a JSON line's other fields as
 * `key=value` under its message, and a link to the waterfall of the trace the
 * line names.
 *
 * @param entry The line.
 * @returns The `<tr>`.
 */
export function renderLogRow(entry: LogEntry): SafeHtml {
  const fields = _fields(entry).map(([key, value]) => `${key}=${value}`);
  return html`
    <tr data-seq="${entry.seq}" class="level-${entry.level}">
      <td class="mono muted">${entry.time.slice(11, 23)}</td>
      <td>${entry.resource}</td>
      <td>${entry.level}</td>
      <td>
        <pre>${entry.message}</pre>${fields.length === 0
          ? null
          : html`<pre class="muted">${fields.join(" ")}</pre>`}
      </td>
      <td>${entry.traceId
        ? html`<a class="mono" href="/traces/${entry.traceId}" aria-label="Trace ${entry.traceId}">${
          entry.traceId.slice(0, 8)
        }</a>`
        : null}</td>
    </tr>
  `;
}

/**
 * Renders the logs view: the filter form, the matching lines, and the live
 * stream of the lines that come after them.
 *
 * @param entries The matching lines so far, oldest first.
 * @param filter The filter in force.
 * @param resources The resource names, for the resource choice.
 * @returns The content.
 */
export function renderLogs(
  entries: readonly LogEntry[],
  filter: LogFilter,
  resources: readonly string[],
): SafeHtml {
  const query = new URLSearchParams({
    ...(filter.resource ? { resource: filter.resource } : {}),
    ...(filter.level ? { level: filter.level } : {}),
    ...(filter.text ? { text: filter.text } : {}),
    ...(filter.traceId ? { trace: filter.traceId } : {}),
    after: String(entries.at(-1)?.seq ?? 0),
  });
  return html`
    <form class="filters" method="get" action="/logs">
    <label>Resource<select name="resource"><option value="">all</option>${resources.map((name) =>
      html`<option${
        name === filter.resource
          ? html`
            selected
          `
          : null
      }>${name}</option>`
    )}</select></label>
    <label>Level at least<select name="level"><option value="">any</option>${LEVELS.map((level) =>
      html`<option${
        level === filter.level
          ? html`
            selected
          `
          : null
      }>${level}</option>`
    )}</select></label>
    <label>Text<input name="text" value="${filter.text ?? ""}"></label>
    <label>Trace id<input name="trace" class="mono" size="34" value="${filter.traceId ??
      ""}"></label>
    <button>Filter</button> <a href="/logs">clear</a>
    </form>
    <div class="logs">
      <table>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Resource</th>
            <th scope="col">Level</th>
            <th scope="col">Message</th>
            <th scope="col">Trace</th>
          </tr>
        </thead>
        <tbody data-live="/logs/stream?${query.toString()}">${entries.map(renderLogRow)}</tbody>
      </table>
    </div>
  `;
}

/** What every JSON line carries and the row already shows. */
const SHOWN_FIELDS = new Set([
  "time",
  "timestamp",
  "level",
  "service",
  "msg",
  "message",
  "traceId",
  "spanId",
]);

/** The other fields of a JSON line, as text, in their order; none for a plain line. */
function _fields(entry: LogEntry): [string, string][] {
  if (!entry.text.startsWith("{")) return [];
  let record: unknown;
  try {
    record = JSON.parse(entry.text);
  } catch {
    return [];
  }
  if (record === null || typeof record !== "object" || Array.isArray(record)) return [];
  return Object.entries(record).filter(([key]) => !SHOWN_FIELDS.has(key)).map((
    [key, value],
  ) => [key, typeof value === "string" ? value : JSON.stringify(value)]);
}
