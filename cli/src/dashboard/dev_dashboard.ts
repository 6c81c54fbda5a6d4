import {
  mintServiceCredential,
  SERVICE_SECRET_VARIABLE,
  serviceSecretKey,
} from "@netscript/contracts/credential";
import {
  type ProcessResource,
  type Registry,
  renderPermissionFlags,
  type ResourceGraph,
} from "@netscript/plugin";
import { redactSecrets } from "@netscript/store";
import type { RunnerEvents, RunningResources } from "../dev/run_resources.ts";
import type { ResourceState } from "../dev/state_table.ts";
import { summarizeResources } from "../dev/summarize_resources.ts";
import { type Dashboard, startDashboard } from "./dashboard_server.ts";
import { createLogStore } from "./log_store.ts";
import { createUsageSampler } from "./process_usage.ts";
import type { ResourceView } from "./resources_view.ts";
import { createTraceStore } from "./trace_store.ts";

/** Options of {@linkcode openDevDashboard}. */
export interface DevDashboardOptions {
  /** The port to listen on (free: the runner checked). */
  readonly port: number;
  /** The workspace's name. */
  readonly workspace: string;
  /** The graph being run, with the service secret in its processes' variables. */
  readonly graph: ResourceGraph;
  /** The registry: the plugins' panels. */
  readonly registry: Registry;
  /** Where a failure after an answer is reported (a restart that failed). */
  onError(message: string): void;
}

/** The dashboard of one `netscript dev` run. */
export interface DevDashboard extends Dashboard {
  /** Feeds the dashboard what the runner reports; call the runner's own handlers too. */
  readonly events: RunnerEvents;
  /** Hands the dashboard the started processes, for its restart and stop buttons. */
  attach(running: RunningResources): void;
}

/** How long the dashboard reuses one service credential (they live 120 s). */
const CREDENTIAL_REUSE_MS = 60_000;

/**
 * Starts the dashboard of a `netscript dev` run over its graph: the
 * resources as the runner reports them, their output, the spans they
 * export, and the plugins' panels, which reach the plugins' services with a
 * service credential made from the run's secret (subject
 * `netscript-dev-dashboard`).
 *
 * @param options The port, the graph and the registry.
 * @returns The dashboard; feed it the runner's events, then attach the running processes.
 * @throws {Deno.errors.AddrInUse} When the port is taken.
 */
export function openDevDashboard(options: DevDashboardOptions): DevDashboard {
  const { graph } = options;
  const processes = graph.resources.filter((r): r is ProcessResource => r.kind !== "store");
  const states = new Map<string, ResourceState>(graph.resources.map((resource) => [
    resource.name,
    {
      name: resource.name,
      kind: resource.kind,
      pid: null,
      port: resource.kind === "service" ? resource.port ?? null : null,
      state: resource.kind === "store" ? "ready" : "pending",
      restarts: 0,
    },
  ]));
  const startedAt = new Map<string, number>();
  const logs = createLogStore();
  const traces = createTraceStore();
  let running: RunningResources | undefined;
  const secret = serviceSecretKey(processes[0]?.env[SERVICE_SECRET_VARIABLE]);
  let credential: { value: string; until: number } | undefined;

  /** What each resource shows under Permissions: a process's flags, a store's engine and place. */
  const permissions = new Map(graph.resources.map((resource) => [
    resource.name,
    resource.kind === "store"
      ? [resource.engine, resource.embedded ? resource.file! : redactSecrets(resource.url ?? "")]
      : renderPermissionFlags(resource.permissions),
  ]));
  const started = (): RunningResources => {
    if (running === undefined) throw new Error("the resources are still starting");
    return running;
  };

  const dashboard = startDashboard({
    workspace: options.workspace,
    resources(): ResourceView[] {
      const current = [...states.values()];
      return summarizeResources(current, graph).map((summary) => ({
        name: summary.name,
        kind: summary.kind,
        state: summary.state,
        pid: summary.pid,
        port: summary.port,
        restarts: summary.restarts,
        startedAt: startedAt.get(summary.name) ?? null,
        permissions: permissions.get(summary.name) ?? [],
        docs: summary.docs,
        health: summary.health,
      }));
    },
    restart: (name) => started().restart(name, "restart requested from the dashboard"),
    stop: (name) => started().stopOne(name),
    logs,
    traces,
    panels: options.registry.dashboardPanels,
    transport: {
      serviceUrl(service) {
        const port = states.get(service)?.port;
        return port === null || port === undefined ? undefined : `http://127.0.0.1:${port}`;
      },
      async authorization() {
        if (secret === undefined) return "";
        if (credential === undefined || credential.until < Date.now()) {
          credential = {
            value: await mintServiceCredential(secret, "netscript-dev-dashboard"),
            until: Date.now() + CREDENTIAL_REUSE_MS,
          };
        }
        return `Bearer ${credential.value}`;
      },
    },
    usage: createUsageSampler(),
    onError: options.onError,
  }, options.port);

  return {
    ...dashboard,
    events: {
      line(resource, stream, text) {
        logs.add(resource, stream, text);
      },
      state(_states, changed) {
        const previous = states.get(changed.name);
        if (changed.pid === null) startedAt.delete(changed.name);
        else if (previous?.pid !== changed.pid) startedAt.set(changed.name, Date.now());
        states.set(changed.name, { ...changed });
      },
    },
    attach(value) {
      running = value;
    },
  };
}
