/**
 * How the benchmark talks to a server process: the port and switches go in
 * as command-line flags, and a server with something to say (the tracing one
 * reports how many spans it exported, the guarded one how often it asked
 * `auth-api`, an OTLP receiver how many trace exports it got) writes one
 * prefixed JSON line to stderr as it shuts down. Stdout is not used: it is
 * discarded, because NetScript writes a log line there per request.
 *
 * @module
 */
import { parseArgs } from "node:util";

/** The flags a server process accepts. */
export interface ServerArgs {
  /** The loopback port to listen on. */
  port: number;
  /** Register a real tracer provider (NetScript only). */
  tracing: boolean;
  /** Write NetScript's per-request log line. */
  requestLog: boolean;
  /** The base URL of `auth-api`: guard the service and require a session (NetScript only). */
  authUrl?: string;
  /** The guard's `cacheTtlMs`, when guarded; its default when unset. */
  sessionCacheTtlMs?: number;
}

/** What a server reports on shutdown. */
export interface ServerReport {
  /** Spans the counting exporter received, when tracing was on. */
  spansExported?: number;
  /** Requests the guard sent `auth-api` to check a session, when the service was guarded. */
  sessionChecks?: number;
  /** Trace exports with a body that an OTLP receiver got. */
  traceExports?: number;
  /** Spans the dashboard's receiver decoded and handed its trace store. */
  spansStored?: number;
}

/**
 * The variables the `auth-api` process reads, for its `--allow-env`: the
 * kv-oauth backend's settings (the names `openKvOAuthBackend` reads) and
 * the workspace's service secret, which the guarded server reads too.
 */
export const AUTH_API_VARIABLES = {
  issuer: "AUTH_OIDC_ISSUER",
  clientId: "AUTH_OIDC_CLIENT_ID",
  clientSecret: "AUTH_OIDC_CLIENT_SECRET",
  secret: "AUTH_SECRET",
  serviceSecret: "NETSCRIPT_SERVICE_SECRET",
} as const;

const REPORT_PREFIX = "bench-report ";

/**
 * Reads the flags `--port=<n>`, `--tracing`, `--no-request-log`, `--auth-url=<url>` and
 * `--session-cache-ttl-ms=<n>`.
 *
 * @param args The process arguments.
 * @returns The parsed flags.
 */
export function parseServerArgs(args: string[]): ServerArgs {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string" },
      tracing: { type: "boolean", default: false },
      "no-request-log": { type: "boolean", default: false },
      "auth-url": { type: "string" },
      "session-cache-ttl-ms": { type: "string" },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new RangeError(`Cannot start the server on --port="${values.port}": pass 1 to 65535`);
  }
  const authUrl = values["auth-url"];
  const ttl = values["session-cache-ttl-ms"];
  if (ttl !== undefined && !(Number.isInteger(Number(ttl)) && Number(ttl) >= 0)) {
    throw new RangeError(`Cannot use --session-cache-ttl-ms="${ttl}": pass a whole number`);
  }
  return {
    port,
    tracing: values.tracing,
    requestLog: !values["no-request-log"],
    ...(authUrl === undefined ? {} : { authUrl }),
    ...(ttl === undefined ? {} : { sessionCacheTtlMs: Number(ttl) }),
  };
}

/**
 * Builds the flags for {@linkcode parseServerArgs}.
 *
 * @param port The loopback port.
 * @param options The switches: tracing off, the request log on and no guard by default.
 * @returns The flags to append after the script path.
 */
export function formatServerArgs(
  port: number,
  options: {
    tracing?: boolean;
    requestLog?: boolean;
    authUrl?: string;
    sessionCacheTtlMs?: number;
  } = {},
): string[] {
  return [
    `--port=${port}`,
    ...(options.tracing ? ["--tracing"] : []),
    ...(options.requestLog === false ? ["--no-request-log"] : []),
    ...(options.authUrl === undefined ? [] : [`--auth-url=${options.authUrl}`]),
    ...(options.sessionCacheTtlMs === undefined
      ? []
      : [`--session-cache-ttl-ms=${options.sessionCacheTtlMs}`]),
  ];
}

/**
 * Writes the shutdown report to stderr for the parent to read.
 *
 * @param report What to report.
 */
export function writeServerReport(report: ServerReport): void {
  console.error(REPORT_PREFIX + JSON.stringify(report));
}

/**
 * Splits a server's stderr into its report and everything else.
 *
 * @param stderr The whole stderr text of the finished process.
 * @returns The report (empty when none was written) and the other lines.
 */
export function readServerReport(stderr: string): { report: ServerReport; otherLines: string[] } {
  let report: ServerReport = {};
  const otherLines: string[] = [];
  for (const line of stderr.split("\n")) {
    if (line.startsWith(REPORT_PREFIX)) report = JSON.parse(line.slice(REPORT_PREFIX.length));
    else if (line.trim() !== "") otherLines.push(line);
  }
  return { report, otherLines };
}
