/** Extra settings a plugin gives one of its resources when it runs under Aspire. */
export interface DenoResourceOptions {
  /**
   * More environment variables, e.g. a feature flag. Names the graph already
   * sets (ports, stores, service URLs, `WORKER_CONCURRENCY`, `OTEL_*`) are refused.
   * @default {none}
   */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /**
   * Other resources of the graph to wait for before this one starts, e.g.
   * another plugin's API. The data stores and a processor's own API are
   * waited for already.
   * @default {none}
   */
  readonly waitFor?: readonly string[] | undefined;
}

/**
 * What a plugin's Aspire contribution (`src/aspire/mod.ts`) receives: one
 * call per resource the plugin declares in its manifest. Where the process
 * starts, its port, permissions and connection details come from the
 * workspace's resource graph, so they are never written twice.
 */
export interface AspireAppBuilder {
  /**
   * Adds one of the plugin's services: a `deno run` with its permission
   * flags, an HTTP endpoint on its port (`PORT`), a `/health` check, OTLP/HTTP
   * telemetry, and references to the data stores it waits for.
   *
   * @param name The service's resource name from the manifest, e.g. `workers-api`.
   * @param options Extra variables and dependencies.
   */
  addDenoService(name: string, options?: DenoResourceOptions): void;
  /**
   * Adds one of the plugin's background processors: a `deno run` with its
   * permission flags and `WORKER_CONCURRENCY`, OTLP/HTTP telemetry,
   * references to the data stores and the services, and its plugin's API as
   * parent in the dashboard.
   *
   * @param name The processor's resource name from the manifest, e.g. `workers-worker`.
   * @param options Extra variables and dependencies.
   */
  addDenoBackground(name: string, options?: DenoResourceOptions): void;
}

/** A plugin's Aspire contribution: a function that adds the plugin's resources. */
export type AspireContribution = (app: AspireAppBuilder) => void;

/** One call a contribution made, as data. */
export interface RecordedCall {
  /** Which method was called. */
  readonly method: "addDenoService" | "addDenoBackground";
  /** The resource name it was called with. */
  readonly name: string;
  /** The options it was called with. */
  readonly options: DenoResourceOptions;
}

/**
 * Declares a plugin's Aspire contribution, the default export of the module
 * the plugin names with `.withAspire("./src/aspire/mod.ts")`. Without one,
 * every resource of the plugin is added as declared; write one to give a
 * resource extra variables or dependencies under Aspire.
 *
 * @param contribution The function that adds the plugin's resources.
 * @returns The same function, typed.
 *
 * @example
 * ```ts
 * import { defineAspireContribution } from "@netscript/aspire";
 *
 * export default defineAspireContribution((app) => {
 *   app.addDenoService("workers-api");
 *   app.addDenoBackground("workers-worker", { env: { WORKERS_POLL_MS: "250" } });
 * });
 * ```
 */
export function defineAspireContribution(contribution: AspireContribution): AspireContribution {
  return contribution;
}

/**
 * Runs a contribution against a builder that records each call as data, so
 * it can be checked against the resource graph and rendered.
 *
 * @param contribution The contribution.
 * @returns The calls, in order.
 *
 * @example
 * ```ts
 * import { defineAspireContribution, recordContribution } from "@netscript/aspire";
 *
 * const calls = recordContribution(defineAspireContribution((app) => app.addDenoService("hello-api")));
 * console.log(calls); // [{ method: "addDenoService", name: "hello-api", options: {} }]
 * ```
 */
export function recordContribution(contribution: AspireContribution): RecordedCall[] {
  const calls: RecordedCall[] = [];
  contribution({
    addDenoService: (name, options = {}) => calls.push({ method: "addDenoService", name, options }),
    addDenoBackground: (name, options = {}) =>
      calls.push({ method: "addDenoBackground", name, options }),
  });
  return calls;
}
