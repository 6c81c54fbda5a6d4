/**
 * A panel a plugin adds to the `netscript dev` dashboard: views over its own
 * service's REST API. The dashboard renders every panel the same way and
 * calls only the routes the panel names, on the service it names.
 */
export interface DashboardPanelContribution {
  /**
   * Unique in the workspace and the panel's URL segment: 1-40 lowercase
   * letters, digits or dashes, starting with a letter, e.g. `jobs`.
   */
  readonly id: string;
  /** The title in the dashboard's navigation, 1-40 characters, e.g. `Jobs`. */
  readonly title: string;
  /** One of this plugin's services (a `withService()` name) the views call, e.g. `workers-api`. */
  readonly service: string;
  /** The views, top to bottom; at least one. */
  readonly views: readonly DashboardView[];
}

/** One view of a panel: counts or a table. */
export type DashboardView = DashboardCountsView | DashboardTableView;

/** Numbers side by side, e.g. jobs by state. */
export interface DashboardCountsView {
  /** What it is. */
  readonly kind: "counts";
  /** The heading above the numbers, e.g. `Jobs by state`. */
  readonly title: string;
  /**
   * The GET path on the service, answering a JSON object of numbers, e.g.
   * `/api/stats`; no placeholders.
   */
  readonly path: string;
}

/** A table of rows, each an object, with optional row buttons and drill-down. */
export interface DashboardTableView {
  /** What it is. */
  readonly kind: "table";
  /** The heading above the table, e.g. `Dead letters`. */
  readonly title: string;
  /**
   * The GET path on the service, answering `{ items: [...] }` (a page, as
   * the framework's paginated routes answer) or a JSON array, e.g.
   * `/api/jobs?limit=50`; no placeholders.
   */
  readonly path: string;
  /** The columns, left to right; at least one. */
  readonly columns: readonly DashboardColumn[];
  /** Buttons on each row, each a POST to the service. */
  readonly actions?: readonly DashboardAction[] | undefined;
  /** What opens when a row is chosen. */
  readonly detail?: DashboardDetail | undefined;
}

/** A column of a table. */
export interface DashboardColumn {
  /** The top-level key of the row it shows, e.g. `lastError`. */
  readonly field: string;
  /** The column heading, e.g. `Last error`. */
  readonly label: string;
}

/** A button on a table's rows that POSTs to the service. */
export interface DashboardAction {
  /** The button's text, e.g. `Redrive`. */
  readonly label: string;
  /**
   * The POST path, its `{field}` placeholders filled with the row's values,
   * each URL-encoded, e.g. `/api/dead-letters/{id}/redrive`.
   */
  readonly path: string;
  /** Shows the button only on rows whose `field` holds one of `values`; on every row when left out. */
  readonly when?: {
    /** The top-level key of the row, e.g. `state`. */
    readonly field: string;
    /** The values that show the button, e.g. `["failed", "dead"]`; at least one. */
    readonly values: readonly string[];
  } | undefined;
}

/** A row's drill-down: a list inside another GET answer, e.g. a saga's steps. */
export interface DashboardDetail {
  /**
   * The GET path, its `{field}` placeholders filled with the row's values,
   * each URL-encoded, e.g. `/api/sagas/{id}`.
   */
  readonly path: string;
  /** The key of the answer holding the array shown, e.g. `steps`. */
  readonly list: string;
  /** The columns of the array's entries, left to right; at least one. */
  readonly columns: readonly DashboardColumn[];
}
