import { NetScriptError } from "@netscript/contracts";
import type { Logger } from "@netscript/telemetry";
import type { ServiceErrorCode } from "./service_error_codes.ts";

/** Options of `service.serve()`. */
export interface ServeOptions {
  /**
   * The TCP port; `0` picks a free one.
   * @default {the `PORT` environment variable, else 3000}
   */
  port?: number;
  /**
   * The interface to listen on. The loopback default keeps a service off
   * the network; pass `"0.0.0.0"` (or set `HOST`) to accept connections
   * from other machines, e.g. in a container.
   * @default {the `HOST` environment variable when it is set and readable, else "127.0.0.1"}
   */
  hostname?: string;
  /**
   * How long a graceful shutdown waits for in-flight requests before it
   * gives up on them.
   * @default {10000}
   */
  shutdownTimeoutMs?: number;
  /**
   * Shut down gracefully on SIGINT and SIGTERM, then exit the process.
   * Turn off when the caller manages the process (tests, embedding).
   * @default {true}
   */
  handleSignals?: boolean;
  /** Runs after the server has stopped, before a signal-triggered exit: close pools here. */
  onShutdown?: () => void | Promise<void>;
}

/** A listening service. */
export interface RunningService extends AsyncDisposable {
  /** The base URL the service answers on, e.g. `http://127.0.0.1:3000/`. */
  readonly url: URL;
  /** The port actually bound. */
  readonly port: number;
  /** The interface actually listened on, e.g. `127.0.0.1`. */
  readonly hostname: string;
  /** Settles once the server has stopped. */
  readonly finished: Promise<void>;
  /**
   * Stops accepting connections and waits for in-flight requests, at most
   * `shutdownTimeoutMs`.
   *
   * @returns Whether every in-flight request finished in time.
   */
  shutdown(): Promise<boolean>;
}

/** What `serve()` needs from the service it serves. */
export interface Servable {
  /** The request handler. */
  fetch(request: Request): Promise<Response>;
  /** Requests being handled right now. */
  inFlight(): number;
  /** Where lifecycle lines go. */
  readonly logger: Logger;
}

const DEFAULT_PORT = 3000;
/** The interface a service listens on unless told otherwise: loopback only. */
const DEFAULT_HOSTNAME = "127.0.0.1";

/**
 * Serves a service on `Deno.serve` with graceful shutdown. It listens on
 * `127.0.0.1` unless `options.hostname` or the `HOST` environment variable
 * (read when `--allow-env` grants it) names another interface.
 *
 * @param service The service and its logger.
 * @param options Port, interface and shutdown behaviour.
 * @returns The running server.
 */
export function serveService(service: Servable, options: ServeOptions = {}): RunningService {
  const logger = service.logger;
  const port = options.port ?? _portFromEnvironment(logger);
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 10_000;
  const server = Deno.serve(
    {
      port,
      hostname: options.hostname ?? _hostnameFromEnvironment(),
      onListen: () => {},
    },
    (request) => service.fetch(request),
  );
  const host = server.addr.hostname === "0.0.0.0" ? DEFAULT_HOSTNAME : server.addr.hostname;
  const url = new URL(`http://${host.includes(":") ? `[${host}]` : host}:${server.addr.port}`);
  logger.info("service listening", {
    url: url.href,
    hostname: server.addr.hostname,
    pid: Deno.pid,
  });

  const onSignal = () => {
    shutdown().then((graceful) => Deno.exit(graceful ? 0 : 1));
  };
  const signals: Deno.Signal[] = options.handleSignals === false ? [] : ["SIGINT", "SIGTERM"];
  for (const signal of signals) Deno.addSignalListener(signal, onSignal);

  let stopping: Promise<boolean> | undefined;
  const shutdown = (): Promise<boolean> => {
    stopping ??= (async () => {
      logger.info("service stopping", { inFlight: service.inFlight() });
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), shutdownTimeoutMs);
      });
      const drained = await Promise.race([server.shutdown().then(() => true as const), timedOut]);
      clearTimeout(timer);
      if (!drained) {
        logger.warn("shutdown timed out with requests still in flight", {
          inFlight: service.inFlight(),
          shutdownTimeoutMs,
        });
        server.unref();
      }
      for (const signal of signals) Deno.removeSignalListener(signal, onSignal);
      await options.onShutdown?.();
      logger.info("service stopped", { graceful: drained });
      return drained;
    })();
    return stopping;
  };

  return {
    url,
    port: server.addr.port,
    hostname: server.addr.hostname,
    finished: server.finished,
    shutdown,
    [Symbol.asyncDispose]: async () => {
      await shutdown();
    },
  };
}

/** `HOST` when it is set and the process may read it, else loopback. */
function _hostnameFromEnvironment(): string {
  const granted = Deno.permissions.querySync({ name: "env", variable: "HOST" }).state === "granted";
  const raw = granted ? Deno.env.get("HOST") : undefined;
  return raw === undefined || raw === "" ? DEFAULT_HOSTNAME : raw;
}

function _portFromEnvironment(logger: Logger): number {
  const granted = Deno.permissions.querySync({ name: "env", variable: "PORT" }).state === "granted";
  if (!granted) {
    logger.warn(`cannot read PORT without --allow-env=PORT; serving on ${DEFAULT_PORT}`);
    return DEFAULT_PORT;
  }
  const raw = Deno.env.get("PORT");
  if (raw === undefined || raw === "") return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new NetScriptError<ServiceErrorCode>(
      "SERVICE_INVALID_PORT",
      `Cannot serve on PORT="${raw}": it must be an integer from 0 to 65535`,
      { details: { variable: "PORT", value: raw } },
    );
  }
  return port;
}
