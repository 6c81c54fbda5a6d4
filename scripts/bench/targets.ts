/**
 * The servers the benchmark measures, in the order it measures them, with
 * the narrow permissions each child process gets.
 *
 * @module
 */
import { formatServerArgs } from "./servers/server_protocol.ts";

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
  /** The flags after the script, given the port. */
  args(port: number): string[];
  /** Whether the row is an extra, outside the four targets of the issue. */
  extra: boolean;
}

/** The key of each target. */
export type TargetId =
  | "deno"
  | "orpc"
  | "netscript"
  | "netscriptTracing"
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
    id: "netscriptTracing",
    label: "NetScript, tracing on",
    script: new URL("./servers/netscript.ts", import.meta.url),
    permissions: [NET, OTEL_ENV],
    args: (port) => formatServerArgs(port, { tracing: true }),
    extra: false,
  },
  {
    id: "netscriptNoLog",
    label: "extra: NetScript, tracing off, logRequests: false",
    script: new URL("./servers/netscript.ts", import.meta.url),
    permissions: [NET],
    args: (port) => formatServerArgs(port, { requestLog: false }),
    extra: true,
  },
];
