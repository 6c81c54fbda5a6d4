import { NetScriptError } from "@netscript/contracts";
import { withServiceCredential } from "@netscript/contracts/credential";
import { injectTraceContext, isDenoTelemetryEnabled, withSpan } from "@netscript/telemetry";
import { SpanKind } from "@opentelemetry/api";
import { createORPCClient } from "@orpc/client";
import { RPCLink } from "@orpc/client/fetch";
import type { AnyContractRouter, ContractRouterClient } from "@orpc/contract";
import type { SdkErrorCode } from "./sdk_error_codes.ts";
import { type EnvironmentReader, processEnvironment, resolveServiceUrl } from "./service_url.ts";

/** How to reach one service. */
export interface ServiceDefinition<TContract extends AnyContractRouter = AnyContractRouter> {
  /** The service's contract: it types the client. */
  contract: TContract;
  /**
   * The service's base URL; the client calls `<url>/api/rpc`.
   * @default {found in Aspire's service discovery variables}
   */
  url?: string | URL;
  /**
   * The API version to call (`v1`), when the service serves several: the
   * client calls `<url>/api/<version>/rpc`, and `contract` is that
   * version's contract. Unset, the service's current version.
   */
  version?: string;
  /**
   * How long one call may take, in milliseconds.
   * @default {the timeoutMs of defineServices(), else 30000}
   */
  timeoutMs?: number;
}

/** Options of {@linkcode defineServices}. */
export interface DefineServicesOptions {
  /**
   * How long one call may take, in milliseconds, unless a service says otherwise.
   * @default {30000}
   */
  timeoutMs?: number;
  /**
   * How environment variables are read for service discovery.
   * @default {the process environment}
   */
  env?: EnvironmentReader;
  /**
   * The fetch implementation used for calls.
   * @default {globalThis.fetch}
   */
  fetch?: (request: Request) => Promise<Response>;
}

/** The typed clients of a set of service definitions, by service name. */
export type ServiceClients<TServices extends Record<string, ServiceDefinition>> = {
  [K in keyof TServices]: ContractRouterClient<TServices[K]["contract"]>;
};

/** What {@linkcode defineServices} returns. */
export interface DefinedServices<TServices extends Record<string, ServiceDefinition>> {
  /** One typed client per service. */
  clients: ServiceClients<TServices>;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Defines the services this code calls and returns a typed client for each.
 * Clients speak oRPC's RPC protocol to `<base>/api/rpc`. The base URL is the
 * explicit `url`, else Aspire's service discovery variables
 * (`services__<name>__https__0`, `services__<name>__http__0`,
 * `<NAME>_HTTPS`, `<NAME>_HTTP`); it is looked up on the first call. Calls
 * carry the caller's `traceparent` (written by Deno itself when
 * `OTEL_DENO=true`) and are bounded by a timeout. When the process holds
 * the workspace's `NETSCRIPT_SERVICE_SECRET` (as every process under
 * `netscript dev` and the Aspire AppHost does), calls to the workspace's
 * services carry a short-lived service credential, so guarded services
 * accept them. Transport failures are
 * `NetScriptError`s: `SERVICE_TIMEOUT`, `SERVICE_UNREACHABLE`,
 * `SERVICE_NOT_PERMITTED`, `SERVICE_URL_NOT_FOUND`, `SERVICE_URL_INVALID`.
 *
 * @param services The services by name: contract, and optionally url and timeout.
 * @param options Defaults for every service.
 * @returns The typed clients.
 *
 * @example
 * ```ts ignore
 * import { defineServices } from "@netscript/sdk";
 * import { usersContract } from "./contracts/users.ts";
 *
 * const { clients } = defineServices({ users: { contract: usersContract } });
 * const page = await clients.users.list({ limit: 10 });
 * ```
 */
export function defineServices<const TServices extends Record<string, ServiceDefinition>>(
  services: TServices,
  options: DefineServicesOptions = {},
): DefinedServices<TServices> {
  const clients: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(services)) {
    clients[name] = _createClient(name, definition, options);
  }
  return { clients: clients as ServiceClients<TServices> };
}

function _createClient(
  service: string,
  definition: ServiceDefinition,
  options: DefineServicesOptions,
): unknown {
  const env = options.env ?? processEnvironment;
  /** The origins found in service discovery variables: the workspace's own services. */
  const discovered = new Set<string>();
  const send = options.fetch ?? withServiceCredential((request: Request) => fetch(request), {
    env,
    trusts: (origin) => discovered.has(origin),
  });
  const timeoutMs = definition.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const runtimeInjects = isDenoTelemetryEnabled();
  let base: string | undefined;
  const link = new RPCLink({
    url: () => {
      if (base === undefined) {
        base = resolveServiceUrl(service, { url: definition.url, env });
        if (definition.url === undefined) discovered.add(new URL(base).origin);
      }
      return definition.version === undefined
        ? `${base}/api/rpc`
        : `${base}/api/${encodeURIComponent(definition.version)}/rpc`;
    },
    fetch: (request, _init, _options, path) => {
      const procedure = path.join(".");
      return withSpan(procedure, async () => {
        const timeout = AbortSignal.timeout(timeoutMs);
        const headers = new Headers(request.headers);
        if (!runtimeInjects) injectTraceContext(headers);
        const outgoing = new Request(request, {
          headers,
          signal: AbortSignal.any([request.signal, timeout]),
        });
        try {
          return await send(outgoing);
        } catch (error) {
          throw _transportError(service, procedure, base, timeoutMs, timeout.aborted, error);
        }
      }, {
        kind: SpanKind.CLIENT,
        attributes: { "rpc.system": "orpc", "rpc.service": service, "rpc.method": procedure },
      });
    },
  });
  return createORPCClient(link);
}

function _transportError(
  service: string,
  procedure: string,
  base: string | undefined,
  timeoutMs: number,
  timedOut: boolean,
  cause: unknown,
): unknown {
  if (timedOut) {
    return new NetScriptError<SdkErrorCode>(
      "SERVICE_TIMEOUT",
      `Call to ${procedure} of service "${service}" timed out after ${timeoutMs} ms; raise timeoutMs or check the service`,
      { details: { service, procedure, url: base, timeoutMs }, cause },
    );
  }
  if (cause instanceof Deno.errors.NotCapable || cause instanceof Deno.errors.PermissionDenied) {
    const host = base === undefined ? "its host" : new URL(base).host;
    return new NetScriptError<SdkErrorCode>(
      "SERVICE_NOT_PERMITTED",
      `Cannot call service "${service}" at ${base}: this process may not connect there; grant --allow-net=${host}`,
      { details: { service, procedure, url: base }, cause },
    );
  }
  if (cause instanceof TypeError) {
    return new NetScriptError<SdkErrorCode>(
      "SERVICE_UNREACHABLE",
      `Cannot reach service "${service}" at ${base}: ${cause.message}; check that it is running`,
      { details: { service, procedure, url: base }, cause },
    );
  }
  return cause;
}
