/**
 * Typed clients for NetScript services. `defineServices` takes each
 * service's contract and returns a client whose methods, inputs, outputs and
 * errors are typed from that contract; URLs come from code or from Aspire's
 * service discovery variables, so the same code runs under Aspire and
 * `netscript dev`.
 *
 * @example
 * ```ts ignore
 * import { defineServices, isDefinedError, safe } from "@netscript/sdk";
 * import { usersContract } from "./contracts/users.ts";
 *
 * const { clients } = defineServices({ users: { contract: usersContract } });
 * const { error, data } = await safe(clients.users.get({ id: "42" }));
 * if (isDefinedError(error) && error.code === "NOT_FOUND") console.log("no such user");
 * else if (!error) console.log(data.name);
 * ```
 *
 * @module
 */

export {
  type DefinedServices,
  defineServices,
  type DefineServicesOptions,
  type ServiceClients,
  type ServiceDefinition,
} from "./define_services.ts";
export {
  encodeEnvironmentName,
  type EnvironmentReader,
  resolveServiceUrl,
  type ResolveServiceUrlOptions,
  serviceUrlVariables,
} from "./service_url.ts";
export { isDefinedError, safe } from "./safe_call.ts";
export { SDK_ERROR_CODES, type SdkErrorCode } from "./sdk_error_codes.ts";
