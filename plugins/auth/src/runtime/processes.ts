import { SERVICE_SECRET_VARIABLE, serviceSecretKey } from "@netscript/contracts/credential";
import { type PluginProcessOptions, servePluginApi } from "@netscript/runtime";
import type { RunningService } from "@netscript/service";
import { AUTH_CONTRACT_VERSIONS } from "../manifest.ts";
import { createAuthService } from "../service/auth_service.ts";
import { openAuthBackend } from "./backend.ts";

/** Options of {@linkcode serveAuthApi}: those of every plugin process, the resource's name optional. */
export interface AuthApiOptions extends Omit<PluginProcessOptions, "resource"> {
  /**
   * The resource this process is, as the runner names it.
   * @default {"auth-api"}
   */
  readonly resource?: string | undefined;
}

/**
 * Serves `auth-api` (the workspace's `plugins/auth/services/src/main.ts`
 * calls it): opens the backend `NETSCRIPT_AUTH_BACKEND` selects and serves
 * the sign-in flow and the contract on `PORT` (8094) until SIGINT or
 * SIGTERM.
 *
 * @param options The plugin, from its generated definitions module.
 * @returns The running service.
 * @throws {NetScriptError} `AUTH_BACKEND_UNKNOWN`, `AUTH_SETTING_MISSING`,
 * `AUTH_SETTING_INVALID`, `RUNTIME_INVALID_SETTING`, the store's codes.
 *
 * @example
 * ```ts ignore
 * import { serveAuthApi } from "@netscript/plugin-auth";
 * import { plugin } from "../../../../.netscript/definitions/auth.ts";
 *
 * await serveAuthApi({ plugin });
 * ```
 */
export function serveAuthApi(options: AuthApiOptions): Promise<RunningService> {
  return servePluginApi({
    ...options,
    resource: options.resource ?? "auth-api",
    defaultPort: 8094,
    contractVersions: AUTH_CONTRACT_VERSIONS,
    async service(context) {
      const backend = await openAuthBackend(context.env, context.logger);
      context.onClose(() => backend.close());
      context.logger.info("auth backend open", {
        backend: backend.name,
        capabilities: [...backend.capabilities],
      });
      const service = createAuthService({
        backend,
        logger: context.logger,
        serviceSecret: serviceSecretKey(context.env.get(SERVICE_SECRET_VARIABLE)),
      });
      context.onClose(() => service.revocations.close());
      return service;
    },
  });
}
