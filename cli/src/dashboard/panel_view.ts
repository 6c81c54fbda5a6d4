import type {
  DashboardColumn,
  DashboardCountsView,
  DashboardTableView,
  RegisteredDashboardPanel,
} from "@netscript/plugin";
import { html, type SafeHtml } from "./html.ts";
import { askService, describeFailure, type PanelTransport, routeFields } from "./panel_requests.ts";

/** A message shown once at the top of a panel after an action. */
export interface PanelNotice {
  /** What happened. */
  readonly text: string;
  /** Whether the action failed. */
  readonly error: boolean;
}

/**
 * Renders a plugin's panel: reads every view from the plugin's service at
 * once and renders counts as figures and tables with their row actions and
 * drill-down links. A view whose request fails says why in its place.
 *
 * @param panel The panel, as registered.
 * @param transport Where the plugin's service is.
 * @param notice The outcome of the action just taken, if any.
 * @returns The content.
 */
export async function renderPanel(
  panel: RegisteredDashboardPanel,
  transport: PanelTransport,
  notice: PanelNotice | undefined,
): Promise<SafeHtml> {
  const views = await Promise.all(panel.views.map(async (view, index) => {
    const answer = await askService(transport, panel.service, "GET", view.path);
    if (answer.status < 200 || answer.status > 299) {
      return html`
        <section>
          <h2>${view.title}</h2>
          <p class="notice error">${describeFailure(panel.service, answer)}</p>
        </section>
      `;
    }
    return view.kind === "counts"
      ? _counts(view, answer.body)
      : _table(panel, view, index, answer.body);
  }));
  return html`
    ${notice
      ? html`<p class="notice${notice.error ? " error" : ""}" role="status">${notice.text}</p>`
      : null}<p
      class="muted">From <code>${panel.service}</code>, contributed by ${panel.plugin}.</p>${views}
  `;
}

/**
 * Renders a row's drill-down: the detail route's list as a table.
 *
 * @param panel The panel.
 * @param view The table view whose row was opened.
 * @param query The row's fields named by the detail route.
 * @param transport Where the plugin's service is.
 * @param path The filled detail route.
 * @returns The content.
 */
export async function renderDetail(
  panel: RegisteredDashboardPanel,
  view: DashboardTableView,
  transport: PanelTransport,
  path: string,
): Promise<SafeHtml> {
  const detail = view.detail!;
  const back = html`<p><a href="/panels/${panel.id}">← ${panel.title}</a></p>`;
  const answer = await askService(transport, panel.service, "GET", path);
  if (answer.status < 200 || answer.status > 299) {
    return html`${back}<p class="notice error">${describeFailure(panel.service, answer)}</p>`;
  }
  const list = (answer.body as Record<string, unknown> | null)?.[detail.list];
  const rows = Array.isArray(list) ? list as Record<string, unknown>[] : [];
  return html`${back}<p class="mono">${path}</p>${_rows(detail.columns, rows, () => null)}`;
}

function _counts(view: DashboardCountsView, body: unknown): SafeHtml {
  const entries = Object.entries((body ?? {}) as Record<string, unknown>).filter(([, value]) =>
    typeof value === "number"
  );
  return html`
    <section>
      <h2>${view.title}</h2>
      <dl class="counts">${entries.map(([name, value]) =>
        html`
          <div>
            <dt>${name}</dt>
            <dd>${value as number}</dd>
          </div>
        `
      )}</dl>
    </section>
  `;
}

function _table(
  panel: RegisteredDashboardPanel,
  view: DashboardTableView,
  index: number,
  body: unknown,
): SafeHtml {
  const items = Array.isArray(body) ? body : (body as { items?: unknown } | null)?.items;
  const rows = Array.isArray(items) ? items as Record<string, unknown>[] : [];
  const actions = view.actions ?? [];
  const extra = (row: Record<string, unknown>) =>
    html`${
      view.detail
        ? html`
          <a href="/panels/${panel.id}/views/${index}/detail?${new URLSearchParams(
            routeFields(view.detail.path).map((field) => [field, _text(row[field])]),
          ).toString()}">open</a>
        `
        : null
    }${
      actions.map((action, actionIndex) =>
        action.when && !action.when.values.includes(_text(row[action.when.field])) ? null : html`
          <form class="inline" method="post"
            action="/panels/${panel.id}/views/${index}/actions/${actionIndex}">${routeFields(
              action.path,
            ).map((field) =>
              html`<input type="hidden" name="${field}" value="${_text(row[field])}">`
            )}<button>${action.label}</button></form>
        `
      )
    }`;
  return html`<section><h2>${view.title}</h2>${
    rows.length === 0
      ? html`<p class="muted">Nothing here.</p>`
      : _rows(view.columns, rows, actions.length > 0 || view.detail ? extra : () => null)
  }</section>`;
}

function _rows(
  columns: readonly DashboardColumn[],
  rows: readonly Record<string, unknown>[],
  extra: (row: Record<string, unknown>) => SafeHtml | null,
): SafeHtml {
  const withExtra = rows.length > 0 && extra(rows[0]!) !== null;
  return html`
    <table>
      <thead>
        <tr>${columns.map((column) => html`<th scope="col">${column.label}</th>`)}${withExtra
          ? html`<th scope="col">Actions</th>`
          : null}</tr>
      </thead>
      <tbody>${rows.map((row) =>
        html`<tr>${columns.map((column) => html`<td>${_cell(row[column.field])}</td>`)}${
          withExtra ? html`<td>${extra(row)}</td>` : null
        }</tr>`
      )}</tbody>
    </table>
  `;
}

/** A value as a cell shows it: text cut at 200 characters, JSON for structures, a dash for none. */
function _cell(value: unknown): SafeHtml | string {
  if (value === null || value === undefined) return html`<span class="muted">—</span>`;
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** A row's value as a route or form value. */
function _text(value: unknown): string {
  return value === null || value === undefined
    ? ""
    : typeof value === "object"
    ? JSON.stringify(value)
    : String(value);
}
