/**
 * The `auth-api` the guarded row checks its sessions with: the auth
 * plugin's `createAuthService` over the kv-oauth backend, its sign-ins and
 * sessions in an in-memory Deno KV. Its settings come from the variables
 * of `AUTH_API_VARIABLES`: the issuer, the client registered there and the
 * refresh tokens' key (the names `openKvOAuthBackend` reads), and the
 * workspace's service secret, with which guards subscribe to the
 * revocation feed. SIGTERM stops it.
 *
 * @module
 */
import { serviceSecretKey } from "@netscript/contracts/credential";
import { createKvOAuthBackend } from "@netscript/auth-kv-oauth";
import { createAuthService } from "@netscript/plugin-auth";
import { LOOPBACK } from "../workload.ts";
import { AUTH_API_VARIABLES, parseServerArgs } from "./server_protocol.ts";

const { port } = parseServerArgs(Deno.args);
const variable = (name: string) => Deno.env.get(name) ?? "";
const kv = await Deno.openKv(":memory:");
const backend = await createKvOAuthBackend({
  issuer: variable(AUTH_API_VARIABLES.issuer),
  clientId: variable(AUTH_API_VARIABLES.clientId),
  clientSecret: variable(AUTH_API_VARIABLES.clientSecret),
  secret: variable(AUTH_API_VARIABLES.secret),
  kv,
});
const service = createAuthService({
  backend,
  serviceSecret: serviceSecretKey(variable(AUTH_API_VARIABLES.serviceSecret)),
});
service.serve({
  port,
  hostname: LOOPBACK,
  onShutdown: async () => {
    service.revocations.close();
    await backend.close();
    kv.close();
  },
});
