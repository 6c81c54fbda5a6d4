import { basename, join, relative } from "node:path";
import { SERVICE_SECRET_VARIABLE } from "@netscript/contracts/credential";
import { NetScriptError } from "@netscript/contracts/errors";
import {
  assertPermissionsGranted,
  buildResourceGraph,
  type DataStoreResource,
  type NetScriptConfig,
  type ProcessResource,
  type Registry,
  type ResourceGraph,
} from "@netscript/plugin";
import { redactSecrets } from "@netscript/store";
import type { CliErrorCode } from "../cli_error_codes.ts";
import type { CommandSpec } from "../command.ts";
import { serverDatabaseUrl } from "../db/database_url.ts";
import { loadWorkspaceEnv, type WorkspaceEnv } from "../env/workspace_env.ts";
import { readWorkspaceConfig } from "../dev/workspace_config.ts";
import { acquireRunnerLock } from "../dev/runner_lock.ts";
import { assertModuleGraphs } from "../dev/check_module_graph.ts";
import { startResources } from "../dev/run_resources.ts";
import {
  bannerTable,
  type PortMove,
  type ResourceSummary,
  summarizeResources,
} from "../dev/summarize_resources.ts";
import { withServiceSecret } from "../dev/service_secret.ts";
import { checkServerStoreUrl, probeStore } from "../dev/store_address.ts";
import { watchWorkspace } from "../dev/watch_workspace.ts";
import { generateRegistry } from "../registry/generate_registry.ts";
import { findWorkspaceRoot } from "../workspace.ts";
import { readDenoConfig } from "../workspace_files.ts";
import { DEFAULT_DASHBOARD_PORT } from "../dashboard/dashboard_server.ts";
import { type DevDashboard, openDevDashboard } from "../dashboard/dev_dashboard.ts";
import { withTraceExport } from "../dev/trace_export.ts";

/** `netscript dev`. */
export const devCommand: CommandSpec = {
  path: ["dev"],
  summary: "Run the workspace: every service and processor as its own process",
  description:
    "Builds the resource graph from netscript.config.ts and the registry, prepares the embedded stores (SQLite and Deno KV files under .netscript/data/) or checks that the configured servers answer (DATABASE_URL or DB_URI and CACHE_URI, from the environment or else the workspace's .env; without them the engine's local default, the same database netscript db uses), then starts the app's service and every plugin service and background processor as its own deno run with exactly its permissions (a process gets a .env value only for a variable it declares), each as soon as what it waits for is up: the services at once, a plugin's processors once its service answers /health (a service that answers with the same failing check for 3 seconds stops the start with that check's message and its fix, and the others are stopped), then prints one table of every resource with each service's docs and health URLs, marking a service whose port was taken and moved. Only one runner per workspace: .netscript/dev/runner.lock refuses a second start (naming the first one's pid and URLs), and the lock of a killed runner is taken over. Output is prefixed with the resource name; .netscript/dev/state.json records each resource's pid, port, state and restarts. A process that exits is restarted with backoff; with --watch a resource is restarted when its files change. The dashboard (http://127.0.0.1:4400 unless --dashboard or --no-dashboard says otherwise) shows every resource with restart and stop buttons, their logs live, the traces every process exports to it over OTLP/HTTP, and the plugins' panels. Ctrl-C stops everything in reverse order; on Linux the processes also end if the runner itself is killed. No .NET or Docker needed.",
  args: [],
  flags: {
    watch: {
      type: "boolean",
      description:
        "Restart a resource when its files change (a plugin's folder restarts its processes; shared files restart all)",
      default: false,
    },
    dashboard: {
      type: "string",
      placeholder: "port",
      description:
        `Serve the dashboard (resources, logs, traces, plugin panels) on this port of 127.0.0.1 (default ${DEFAULT_DASHBOARD_PORT}; the next free one when taken)`,
    },
    "no-dashboard": {
      type: "boolean",
      description: "Do not serve the dashboard; the processes then export no traces",
      default: false,
    },
    only: {
      type: "string",
      placeholder: "a,b",
      description: "Run only these resources (names from the graph, comma-separated)",
    },
  },
  examples: [
    { command: "netscript dev", description: "Run everything" },
    { command: "netscript dev --only api,workers-api", description: "Run two services" },
    { command: "netscript dev --watch", description: "Restart what changed as you edit" },
    { command: "netscript dev --json", description: "One JSON event per line, for tools" },
    { command: "netscript dev --dashboard 4500", description: "Serve the dashboard on port 4500" },
  ],
  async run(context) {
    const root = await findWorkspaceRoot(context.cwd);
    const { output } = context;
    const lock = await acquireRunnerLock(root, {
      onTakeOver(stale) {
        const who = stale ? `pid ${stale.pid}, which no longer runs` : "an unreadable lock";
        if (output.json) {
          console.log(JSON.stringify({
            time: new Date().toISOString(),
            event: "took-over",
            stale: stale ?? null,
          }));
        }
        output.warn(`took over the lock of the previous netscript dev (${who})`);
      },
    });
    try {
      return await _dev(root, context, (urls) => lock.setUrls(urls));
    } finally {
      await lock.release();
    }
  },
};

/** Runs the workspace until a stop is requested; the caller holds the lock. */
async function _dev(
  root: string,
  { flags, output }: Parameters<CommandSpec["run"]>[0],
  recordUrls: (urls: Record<string, string>) => Promise<void>,
): Promise<number> {
  const [config, env, { registry }] = await _settleInOrder(
    [
      readWorkspaceConfig(root),
      loadWorkspaceEnv(root),
      generateRegistry(root, { check: false }),
    ] as const,
  );
  assertPermissionsGranted(registry, config.permissions);
  const dashboardPort = flags["no-dashboard"] === true
    ? undefined
    : _dashboardPort(flags.dashboard, output);
  const free = _graphWithFreePorts(config, registry, env, output, dashboardPort);
  let graph = withServiceSecret(free.graph, env.get(SERVICE_SECRET_VARIABLE));
  if (dashboardPort !== undefined) {
    graph = withTraceExport(graph, `http://127.0.0.1:${dashboardPort}`);
  }
  if (typeof flags.only === "string") {
    graph = _only(
      graph,
      flags.only.split(",").map((s) => s.trim()),
    );
  }
  await recordUrls(Object.fromEntries([
    ...graph.resources.flatMap((r) =>
      r.kind === "service" && r.port !== undefined ? [[r.name, `http://127.0.0.1:${r.port}`]] : []
    ),
    ...(dashboardPort === undefined ? [] : [["dashboard", `http://127.0.0.1:${dashboardPort}`]]),
  ]));
  const processes = graph.resources.filter((r): r is ProcessResource => r.kind !== "store");
  await _settleInOrder(
    [
      _prepareStores(root, graph),
      readDenoConfig(root).then(({ imports }) =>
        assertModuleGraphs(root, processes, imports ?? {})
      ),
    ] as const,
  );
  const folders = registry.definitions.map((d) => d.folder);
  const definitionFolders = new Map(registry.definitions.map((d) => [d.folder, d.plugin]));

  const colors = ["cyan", "green", "yellow", "red"] as const;
  const names = graph.resources.map((r) => r.name);
  const width = Math.max(...names.map((n) => n.length));
  const emit = (event: Record<string, unknown>) => {
    if (output.json) console.log(JSON.stringify({ time: new Date().toISOString(), ...event }));
  };
  // Listeners stay installed until everything stopped: under `deno task`
  // one Ctrl-C arrives several times (from the terminal and from each task
  // layer), and a repeat must not kill the runner mid-shutdown.
  const { promise: stopRequested, resolve: requestStop } = Promise.withResolvers<void>();
  Deno.addSignalListener("SIGINT", requestStop);
  Deno.addSignalListener("SIGTERM", requestStop);
  try {
    return await _run();
  } finally {
    Deno.removeSignalListener("SIGINT", requestStop);
    Deno.removeSignalListener("SIGTERM", requestStop);
  }

  async function _run(): Promise<number> {
    const dashboard = dashboardPort === undefined
      ? undefined
      : _openDashboard(dashboardPort, basename(root), graph, registry, output);
    try {
      return await _runResources(dashboard);
    } finally {
      await dashboard?.close();
    }
  }

  async function _runResources(dashboard: DevDashboard | undefined): Promise<number> {
    const running = await startResources({
      root,
      graph,
      env: (name) => env.get(name),
      envNames: () => env.names(),
      events: {
        line(resource, stream, text) {
          dashboard?.events.line(resource, stream, text);
          emit({ event: "output", resource, stream, text });
          const color = output.colors[colors[names.indexOf(resource) % colors.length]!];
          output.line(`${color(resource.padEnd(width))} │ ${text}`);
        },
        state(states, changed, message) {
          dashboard?.events.state(states, changed, message);
          emit({ event: "state", ...changed, ...(message ? { message } : {}) });
          output.line(
            output.colors.dim(
              `${"●".padStart(width)} │ ${changed.name} ${changed.state}${
                changed.pid ? ` pid ${changed.pid}` : ""
              }${changed.port ? ` port ${changed.port}` : ""}${message ? `: ${message}` : ""}`,
            ),
          );
        },
      },
    });
    let restarts = Promise.resolve();
    const unwatch = flags.watch === true
      ? watchWorkspace(root, processes, (changed, paths) => {
        emit({ event: "changed", resources: changed, files: paths });
        restarts = restarts.then(async () => {
          if (paths.some((path) => _feedsRegistry(relative(root, path), folders))) {
            try {
              await generateRegistry(root, { check: false });
            } catch (error) {
              output.warn(
                `not restarting: the registry cannot be generated: ${(error as Error).message}`,
              );
              return;
            }
          }
          if (paths.some((path) => PLUGIN_MANIFEST.test(relative(root, path)))) {
            output.warn(
              "a plugin.ts changed: its resources restart with the ports and permissions netscript dev started with; restart netscript dev to apply new ones",
            );
          }
          for (const name of changed) await running.restart(name);
        });
      }, { definitionFolders })
      : () => {};
    // "ready" comes only once the watcher is in place, so a change made
    // right after it is never missed.
    dashboard?.attach(running);
    const summaries = summarizeResources(running.states(), graph, free.moved);
    _printBanner(output, summaries, dashboard?.url);
    emit({
      event: "ready",
      resources: summaries,
      ...(dashboard ? { dashboard: dashboard.url } : {}),
    });
    await stopRequested;
    unwatch();
    await restarts;
    await running.stop();
    emit({ event: "stopped" });
    return 0;
  }
}

/**
 * Awaits promises that run at the same time, then throws the first failure
 * in the order given (not whichever came first), so that a workspace with
 * two problems always reports the same one.
 */
async function _settleInOrder<T extends readonly unknown[]>(
  promises: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(promises);
  for (const result of settled) if (result.status === "rejected") throw result.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}

/**
 * Whether a changed file feeds the generated registry: a plugin's manifest,
 * or a file under a definitions folder a plugin declared.
 */
function _feedsRegistry(path: string, folders: readonly string[]): boolean {
  return folders.some((folder) => path.startsWith(`${folder}/`)) || PLUGIN_MANIFEST.test(path);
}

/** A plugin's manifest, relative to the workspace root. */
const PLUGIN_MANIFEST = /^plugins\/[^/]+\/plugin\.ts$/;

/** Starts the dashboard; a port taken since it was found free is `DEV_NO_FREE_PORT`. */
function _openDashboard(
  port: number,
  workspace: string,
  graph: ResourceGraph,
  registry: Registry,
  output: { warn(text: string): void },
): DevDashboard {
  try {
    return openDevDashboard({
      port,
      workspace,
      graph,
      registry,
      onError: (message) => output.warn(message),
    });
  } catch (error) {
    if (!(error instanceof Deno.errors.AddrInUse)) throw error;
    throw new NetScriptError<CliErrorCode>(
      "DEV_NO_FREE_PORT",
      `Port ${port} was taken just before the dashboard could listen on it; start again, or pass --dashboard <port> or --no-dashboard`,
    );
  }
}

/**
 * The dashboard's port: the one asked for (or the default), else the next
 * free one after it.
 */
function _dashboardPort(
  asked: string | boolean | undefined,
  output: { warn(text: string): void },
): number {
  const wanted = typeof asked === "string" ? Number(asked) : DEFAULT_DASHBOARD_PORT;
  if (!Number.isInteger(wanted) || wanted < 1 || wanted > 65_535) {
    throw new NetScriptError<CliErrorCode>(
      "DEV_INVALID_DASHBOARD_PORT",
      `--dashboard takes a port from 1 to 65535; got "${asked}"`,
      { details: { value: String(asked) } },
    );
  }
  for (let port = wanted; port < Math.min(wanted + 20, 65_536); port++) {
    if (_portFree(port)) {
      if (port !== wanted) output.warn(`port ${wanted} is taken; the dashboard moves to ${port}`);
      return port;
    }
  }
  throw new NetScriptError<CliErrorCode>(
    "DEV_NO_FREE_PORT",
    `Cannot find a free port for the dashboard from ${wanted}; pass --dashboard <port> or --no-dashboard`,
  );
}

function _graphWithFreePorts(
  config: NetScriptConfig,
  registry: Registry,
  env: WorkspaceEnv,
  output: { warn(text: string): void },
  dashboardPort: number | undefined,
): { graph: ResourceGraph; moved: Map<string, PortMove> } {
  const taken = new Set<number>(dashboardPort === undefined ? [] : [dashboardPort]);
  const moved = new Map<string, PortMove>();
  const engine = config.db.engine;
  const databaseUrl = engine === "sqlite" ? undefined : serverDatabaseUrl(engine, env).url;
  const cacheUrl = env.get("CACHE_URI");
  for (let round = 0; round < 20; round++) {
    const graph = buildResourceGraph(config, registry, {
      takenPorts: taken,
      ...(databaseUrl ? { databaseUrl } : {}),
      ...(cacheUrl ? { cacheUrl } : {}),
    });
    const busy = graph.resources.filter((r): r is ProcessResource =>
      r.kind === "service" && r.port !== undefined && !_portFree(r.port)
    );
    if (busy.length === 0) return { graph, moved };
    for (const service of busy) {
      if (!moved.has(service.name)) {
        moved.set(service.name, { from: service.port!, reason: "port taken" });
      }
      output.warn(`port ${service.port} is taken; ${service.name} moves to the next free port`);
      taken.add(service.port!);
    }
  }
  throw new NetScriptError<CliErrorCode>(
    "DEV_NO_FREE_PORT",
    "Cannot find free ports for the services; stop other servers",
  );
}

function _portFree(port: number): boolean {
  try {
    Deno.listen({ hostname: "0.0.0.0", port }).close();
    return true;
  } catch {
    return false;
  }
}

function _only(graph: ResourceGraph, names: readonly string[]): ResourceGraph {
  const known = graph.resources.filter((r) => r.kind !== "store").map((r) => r.name);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw new NetScriptError<CliErrorCode>(
      "DEV_UNKNOWN_RESOURCE",
      `Unknown resource(s) ${
        unknown.map((n) => `"${n}"`).join(", ")
      } in --only; the workspace has ${known.join(", ")}`,
      { details: { unknown, known } },
    );
  }
  return {
    resources: graph.resources.filter((r) => r.kind === "store" || names.includes(r.name)).map((
      r,
    ) =>
      r.kind === "store" ? r : {
        ...r,
        waitFor: r.waitFor.filter((w) => w === "db" || w === "cache" || names.includes(w)),
      }
    ),
  };
}

async function _prepareStores(root: string, graph: ResourceGraph): Promise<void> {
  for (const store of graph.resources.filter((r): r is DataStoreResource => r.kind === "store")) {
    if (store.embedded) {
      await Deno.mkdir(join(root, store.file!.slice(0, store.file!.lastIndexOf("/"))), {
        recursive: true,
      });
      continue;
    }
    checkServerStoreUrl(store);
    const problem = await probeStore(store);
    if (problem !== undefined) {
      throw new NetScriptError<CliErrorCode>(
        "DEV_STORE_UNREACHABLE",
        `The ${store.engine} ${store.name === "db" ? "database" : "cache"} at ${
          redactSecrets(store.url ?? "")
        } does not answer (${problem}); start it, or point ${
          store.name === "db" ? "DATABASE_URL" : "CACHE_URI"
        } at a running one`,
        { details: { store: store.name, url: redactSecrets(store.url ?? "") } },
      );
    }
  }
}

function _printBanner(
  output: Parameters<CommandSpec["run"]>[0]["output"],
  summaries: readonly ResourceSummary[],
  dashboard: string | undefined,
) {
  const { header, rows } = bannerTable(summaries);
  output.line();
  output.table(header, rows);
  const moved = summaries.filter((s) => s.moved);
  if (moved.length > 0) {
    output.line(
      `\n${
        output.colors.yellow(`${moved.map((s) => s.name).join(", ")} moved to another port`)
      }: use the URLs above, not the usual ports`,
    );
  }
  if (dashboard !== undefined) {
    output.line(`\nDashboard: ${output.colors.cyan(dashboard)} (resources, logs, traces)`);
  }
  output.line(`\nCtrl-C stops everything`);
}
