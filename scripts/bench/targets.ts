/**
 * The servers the benchmark measures, in the order it measures them, with
 * the narrow permissions each child process gets, and the OTLP receivers
 * the two exporting rows send their spans to.
 *
 * @module
 */
import { AUTH_API_VARIABLES, formatServerArgs } from "./servers/server_protocol.ts";

/** The running `auth-api` a guarded target checks sessions with, and a signed-in session. */
export interface SignedInAuthApi {
  /** Its base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** The `Cookie` header of a session signed in through the issuer. */
  readonly cookie: string;
  /** The workspace's service secret it was started with. */
  readonly serviceSecret: string;
}

/** An OTLP/HTTP receiver, run in its own process. */
export interface OtlpSink {
  /** The name in messages. */
  label: string;
  /** The receiver's script. */
  script: URL;
  /** Deno permission flags of the child process. */
  permissions: string[];
}

/** A server to measure. */
export interface Target {
  /** A stable key, used in JSON output and ratios. */
  id: TargetId;
  /** The row label of the table. */
  label: string;
  /** The server script. */
  script: URL;
  /** Deno permission flags of the child process. */
  permissions: string[];
  /**
   * The flags after the script.
   *
   * @param port The loopback port.
   * @param auth The running `auth-api`, for a guarded target.
   * @returns The flags.
   */
  args(port: number, auth: SignedInAuthApi | undefined): string[];
  /** Whether the row is an extra, outside the targets the issues set goals for. */
  extra: boolean;
  /**
   * Whether the server checks sessions with `auth-api`: the benchmark then
   * starts `auth-api` first, gives the server the workspace's secret
   * (`NETSCRIPT_SERVICE_SECRET`) and sends the session cookie with every request.
   */
  guarded?: boolean;
  /**
   * The OTLP/HTTP receiver the server exports its spans to with Deno's
   * built-in OpenTelemetry: the benchmark starts it before the server,
   * gives the server the variables `netscript dev` gives each process
   * (`traceExportEnv`) and stops it after the server.
   */
  sink?: OtlpSink;
}

/** The key of each target. */
export type TargetId =
  | "deno"
  | "orpc"
  | "netscript"
  | "netscriptGuarded"
  | "netscriptGuardedUncached"
  | "netscriptTracing"
  | "netscriptOtlpNowhere"
  | "netscriptOtlpDashboard"
  | "netscriptNoLog";

const NET = "--allow-net=127.0.0.1";
const OTEL_ENV = "--allow-env=OTEL_*";

/** Every target, in measuring order. */
export const TARGETS: readonly Target[] = [
  {
    id: "deno",
    label: "raw Deno.serve (JSON echo)",
    script: new URL("./servers/raw_deno.ts", import.meta.url),
    permissions: [NET],
    args: (port) => formatServerArgs(port),
    extra: false,
  },
  {
    id: "orpc",
    label: "bare oRPC RPCHandler",
    script: new URL("./servers/bare_orpc.ts", import.meta.url),
    permissions: [NET],
    args: (port) => formatServerArgs(port),
    extra: false,
  },
  {
    id: "netscript",
    label: "NetScript, tracing off",
    script: new URL("./servers/netscript.ts", import.meta.url),
    permissions: [NET],
    args: (port) => formatServerArgs(port),
    extra: false,
  },
  {
    id: "netscriptGuarded",
    label: "NetScript, tracing off, guarded (session cookie)",
    script: new URL("./servers/netscript.ts", import.meta.url),
    permissions: [NET, `--allow-env=${AUTH_API_VARIABLES.serviceSecret}`],
    args: (port, auth) => formatServerArgs(port, { authUrl: _authUrl(auth) }),
    extra: false,
    guarded: true,
  },
  {
    id: "netscriptTracing",
    label: "NetScript, tracing on",
    script: new URL("./servers/netscript.ts", import.meta.url),
    permissions: [NET, OTEL_ENV],
    args: (port) => formatServerArgs(port, { tracing: true }),
    extra: false,
  },
  {
    id: "netscriptOtlpNowhere",
    label: "NetScript, tracing off, Deno OTel export to a discarding receiver",
    script: new URL("./servers/netscript.ts", import.meta.url),
    permissions: [NET],
    args: (port) => formatServerArgs(port),
    extra: false,
    sink: {
      label: "discarding OTLP receiver",
      script: new URL("./servers/otlp_discard.ts", import.meta.url),
      permissions: [NET],
    },
  },
  {
    id: "netscriptOtlpDashboard",
    label: "NetScript, tracing off, Deno OTel export to the dev dashboard",
    script: new URL("./servers/netscript.ts", import.meta.url),
    permissions: [NET],
    args: (port) => formatServerArgs(port),
    extra: false,
    sink: {
      label: "dev dashboard",
      script: new URL("./servers/otlp_dashboard.ts", import.meta.url),
      permissions: [NET],
    },
  },
  {
    id: "netscriptNoLog",
    label: "extra: NetScript, tracing off, logRequests: false",
    script: new URL("./servers/netscript.ts", import.meta.url),
    permissions: [NET],
    args: (port) => formatServerArgs(port, { requestLog: false }),
    extra: true,
  },
  {
    id: "netscriptGuardedUncached",
    label: "extra: NetScript guarded, every session checked with auth-api (cacheTtlMs: 0)",
    script: new URL("./servers/netscript.ts", import.meta.url),
    permissions: [NET, `--allow-env=${AUTH_API_VARIABLES.serviceSecret}`],
    args: (port, auth) => formatServerArgs(port, { authUrl: _authUrl(auth), sessionCacheTtlMs: 0 }),
    extra: true,
    guarded: true,
  },
];

function _authUrl(auth: SignedInAuthApi | undefined): string {
  if (auth === undefined) throw new TypeError("Cannot start a guarded target without auth-api");
  return auth.url;
}
