/**
 * What the guarded row needs around it: a local OpenID Connect issuer (the
 * kv-oauth plugin's test issuer, `oidc-provider` in its own process), the
 * auth plugin's `auth-api` over the kv-oauth backend in another process
 * (`servers/auth_api.ts`), and one user signed in through both, the way a
 * browser does: `/auth/signin`, the issuer's login and consent forms, the
 * callback. The session cookie that sign-in sets is what the load sends.
 *
 * @module
 */
import {
  CookieJar,
  signInAtProvider,
} from "../../plugins/auth-kv-oauth/testdata/headless_browser.ts";
import {
  type RunningIssuer,
  startOidcIssuer,
} from "../../plugins/auth-kv-oauth/testdata/start_oidc_issuer.ts";
import { freePort, launchServer, type ServerProcess } from "./server_process.ts";
import { AUTH_API_VARIABLES, formatServerArgs } from "./servers/server_protocol.ts";
import type { SignedInAuthApi } from "./targets.ts";
import { LOOPBACK } from "./workload.ts";

/** A running `auth-api` with a signed-in session, and its issuer. */
export interface RunningAuthApi extends SignedInAuthApi {
  /**
   * The CPU seconds the `auth-api` process has used so far.
   *
   * @returns The seconds, or `undefined` off Linux.
   */
  cpuSeconds(): Promise<number | undefined>;
  /**
   * Stops `auth-api` and the issuer.
   *
   * @returns `auth-api`'s stderr lines, if it wrote any.
   */
  close(): Promise<string[]>;
  /** Sends both processes a signal to stop at once, without waiting; for signal handlers. */
  kill(): void;
}

const CLIENT_ID = "netscript-bench";
const LOGIN = "bench-user";

/**
 * Starts the issuer and `auth-api`, and signs a user in.
 *
 * @returns The running `auth-api` with the session's cookie.
 * @throws {Error} When a process does not start or the sign-in does not end in a session.
 */
export async function startSignedInAuthApi(): Promise<RunningAuthApi> {
  const port = freePort();
  const url = `http://${LOOPBACK}:${port}`;
  const clientSecret = _randomSecret();
  const serviceSecret = _randomSecret();
  const issuer = await startOidcIssuer({
    clientId: CLIENT_ID,
    clientSecret,
    redirectUris: [`${url}/auth/callback`],
  });
  let server: ServerProcess | undefined;
  try {
    server = await launchServer({
      label: "auth-api",
      script: new URL("./servers/auth_api.ts", import.meta.url),
      permissions: [
        `--allow-net=${LOOPBACK}`,
        `--allow-env=${Object.values(AUTH_API_VARIABLES).join(",")}`,
      ],
      args: (listening) => formatServerArgs(listening),
      env: {
        [AUTH_API_VARIABLES.issuer]: issuer.issuer,
        [AUTH_API_VARIABLES.clientId]: CLIENT_ID,
        [AUTH_API_VARIABLES.clientSecret]: clientSecret,
        [AUTH_API_VARIABLES.secret]: _randomSecret(),
        [AUTH_API_VARIABLES.serviceSecret]: serviceSecret,
      },
      port,
      readyPath: "/api/session",
      readyRequest: { headers: { accept: "application/json" } },
      readyStatus: 401,
    });
    const cookie = await _signIn(url);
    await _checkSession(url, cookie);
    const running = server;
    return {
      url,
      cookie,
      serviceSecret,
      cpuSeconds: () => running.cpuSeconds(),
      close: () => _close(running, issuer),
      kill: () => {
        void running.stop();
        void issuer.close();
      },
    };
  } catch (error) {
    await (server === undefined ? issuer.close() : _close(server, issuer));
    throw error;
  }
}

async function _close(server: ServerProcess, issuer: RunningIssuer): Promise<string[]> {
  const [stopped] = await Promise.all([server.stop(), issuer.close()]);
  return stopped.otherLines;
}

/**
 * Signs in as a browser does, and returns the `Cookie` header of the
 * cookies the callback set: the session's alone. (The browser's jar keeps
 * cookies per host name, so it also holds the issuer's, which share
 * 127.0.0.1; a site's own requests would not carry those.)
 */
async function _signIn(url: string): Promise<string> {
  const jar = new CookieJar();
  const started = await fetch(`${url}/auth/signin?redirectTo=/`, { redirect: "manual" });
  await started.body?.cancel();
  jar.store(url, started);
  const location = started.headers.get("location");
  if (started.status !== 302 || location === null) {
    throw new Error(`auth-api answered /auth/signin with ${started.status}, not a redirect`);
  }
  const back = await signInAtProvider(jar, location, LOGIN);
  const callback = await fetch(back, { headers: { cookie: jar.header(url) }, redirect: "manual" });
  await callback.body?.cancel();
  const session = new CookieJar();
  session.store(url, callback);
  const cookie = session.header(url);
  if (callback.status !== 302 || cookie === "") {
    throw new Error(
      `auth-api answered the sign-in callback with ${callback.status} and no session`,
    );
  }
  return cookie;
}

/** Checks the session as a guard does: `auth-api` must know the signed-in user. */
async function _checkSession(url: string, cookie: string): Promise<void> {
  const response = await fetch(`${url}/api/session`, {
    headers: { cookie, accept: "application/json" },
  });
  const body = await response.json();
  if (response.status !== 200 || body.user?.id !== LOGIN) {
    throw new Error(
      `auth-api answered /api/session with ${response.status} ${JSON.stringify(body)}`,
    );
  }
}

/** 32 random bytes as base64url: 43 characters, more than any secret's minimum of 32. */
function _randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replaceAll("=", "");
}
