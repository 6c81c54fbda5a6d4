/**
 * Service credentials: how the processes of one workspace prove to each
 * other's guarded services that they belong to it. Each process holds the
 * workspace's secret (`NETSCRIPT_SERVICE_SECRET`, which `netscript dev` and
 * the Aspire AppHost provide) and sends a short-lived HS256 JWT made from
 * it; a guarded service accepts one signed with the same secret. The
 * credential is only ever sent to the workspace's own services (the
 * addresses of its service discovery variables), never to another host.
 *
 * @module
 */
import { decodeJwt, jwtVerify, SignJWT } from "jose";
import { NetScriptError } from "./netscript_error.ts";

/** The variable that holds the workspace's service secret. */
export const SERVICE_SECRET_VARIABLE = "NETSCRIPT_SERVICE_SECRET";

/** The fewest characters a service secret may have. */
export const SERVICE_SECRET_MIN_LENGTH = 32;

/** How long a minted credential is valid, in seconds. */
export const SERVICE_CREDENTIAL_TTL_SECONDS = 120;

/** When a sender makes a new credential: half way through the life of the one it has. */
const RENEW_AFTER_MS = SERVICE_CREDENTIAL_TTL_SECONDS * 1_000 / 2;

const ISSUER = "netscript";
const AUDIENCE = "netscript-services";

/**
 * The codes this module raises, with what each means and what to do.
 *
 * @example
 * ```ts
 * import { CREDENTIAL_ERROR_CODES } from "@netscript/contracts/credential";
 *
 * console.log(Object.keys(CREDENTIAL_ERROR_CODES)); // ["SERVICE_SECRET_INVALID"]
 * ```
 */
export const CREDENTIAL_ERROR_CODES = {
  SERVICE_SECRET_INVALID:
    "NETSCRIPT_SERVICE_SECRET is set but shorter than 32 characters. Unset it (netscript dev and the Aspire AppHost then make one per run) or set it to a random string of at least 32 characters, e.g. the output of `openssl rand -base64 32`.",
} as const;

/** One of {@linkcode CREDENTIAL_ERROR_CODES}. */
export type CredentialErrorCode = keyof typeof CREDENTIAL_ERROR_CODES;

/** What a valid service credential says. */
export interface ServiceCredentialClaims {
  /** The process that sent it: its resource name, e.g. `trigger-processor`. */
  readonly subject: string;
  /** When it stops being valid. */
  readonly expiresAt: Date;
}

/** Reads one variable; `undefined` when unset. */
export type VariableReader = (name: string) => string | undefined;

/**
 * A secret as a signing key: the value of `NETSCRIPT_SERVICE_SECRET`, checked.
 *
 * @param value The variable's value.
 * @returns The key, or `undefined` when the value is unset or empty.
 * @throws {NetScriptError} `SERVICE_SECRET_INVALID` for a value shorter than 32 characters.
 *
 * @example
 * ```ts
 * import { serviceSecretKey } from "@netscript/contracts/credential";
 *
 * console.log(serviceSecretKey(undefined)); // undefined
 * console.log(serviceSecretKey("x".repeat(32))?.length); // 32
 * ```
 */
export function serviceSecretKey(value: string | undefined): Uint8Array | undefined {
  if (value === undefined || value === "") return undefined;
  if (value.length < SERVICE_SECRET_MIN_LENGTH) {
    throw new NetScriptError<CredentialErrorCode>(
      "SERVICE_SECRET_INVALID",
      `${SERVICE_SECRET_VARIABLE} has ${value.length} characters; it needs at least ${SERVICE_SECRET_MIN_LENGTH}`,
      { details: { variable: SERVICE_SECRET_VARIABLE, minLength: SERVICE_SECRET_MIN_LENGTH } },
    );
  }
  return new TextEncoder().encode(value);
}

/**
 * Makes a service credential: an HS256 JWT for the workspace's services,
 * naming the sending process, valid for `ttlSeconds`.
 *
 * @param key The workspace's secret, from {@linkcode serviceSecretKey}.
 * @param subject The sending process's resource name.
 * @param ttlSeconds How long it is valid.
 * @returns The token.
 *
 * @example
 * ```ts
 * import { mintServiceCredential, serviceSecretKey, verifyServiceCredential } from "@netscript/contracts/credential";
 *
 * const key = serviceSecretKey("a-secret-of-at-least-thirty-two-characters")!;
 * const token = await mintServiceCredential(key, "trigger-processor");
 * console.log((await verifyServiceCredential(key, token))?.subject); // "trigger-processor"
 * ```
 */
export async function mintServiceCredential(
  key: Uint8Array,
  subject: string,
  ttlSeconds: number = SERVICE_CREDENTIAL_TTL_SECONDS,
): Promise<string> {
  return await new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1_000) + ttlSeconds)
    .sign(key);
}

/**
 * Checks a service credential: HS256 only, signed with `key`, for the
 * workspace's services, not expired, and issued at most
 * {@linkcode SERVICE_CREDENTIAL_TTL_SECONDS} ago (a longer-lived token,
 * however it was made, is refused).
 *
 * @param key The workspace's secret, from {@linkcode serviceSecretKey}.
 * @param token The token a caller sent.
 * @returns What it says, or `null` when it is not valid.
 */
export async function verifyServiceCredential(
  key: Uint8Array,
  token: string,
): Promise<ServiceCredentialClaims | null> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ["HS256"],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ["sub", "exp", "iat"],
      maxTokenAge: SERVICE_CREDENTIAL_TTL_SECONDS,
    });
    return { subject: payload.sub!, expiresAt: new Date(payload.exp! * 1_000) };
  } catch {
    return null;
  }
}

/**
 * Tells whether a bearer token claims to be a service credential (a JWT
 * whose issuer and audience are the workspace's), without checking it: a
 * guard refuses such a token outright when it is not valid, rather than
 * asking `auth-api` about it.
 *
 * @param token A bearer token.
 * @returns Whether it claims to be a service credential.
 *
 * @example
 * ```ts
 * import { looksLikeServiceCredential } from "@netscript/contracts/credential";
 *
 * console.log(looksLikeServiceCredential("not-a-jwt")); // false
 * ```
 */
export function looksLikeServiceCredential(token: string): boolean {
  try {
    const claims = decodeJwt(token);
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    return claims.iss === ISSUER || audiences.includes(AUDIENCE);
  } catch {
    return false;
  }
}

/** Options of {@linkcode withServiceCredential}. */
export interface WithServiceCredentialOptions {
  /**
   * Where the secret, the process's name (`OTEL_SERVICE_NAME`) and the
   * service discovery variables are read.
   * @default {the process environment, where this process may read it}
   */
  readonly env?: VariableReader;
  /**
   * The names of the variables `env` holds, to find the service discovery
   * variables (`services__<name>__http__0`).
   * @default {the process environment's names, when this process may list them}
   */
  readonly envNames?: () => readonly string[];
  /**
   * Tells whether to send the credential to an origin that no service
   * discovery variable names (the SDK trusts the addresses it found in
   * them through its own reader).
   * @default {no other origin}
   */
  readonly trusts?: (origin: string) => boolean;
}

/**
 * Wraps a fetch so that a request to one of the workspace's services (an
 * origin named by a service discovery variable) carries a service
 * credential, unless it already carries an `authorization` header. Without
 * `NETSCRIPT_SERVICE_SECRET` the requests go out unchanged. A credential is
 * minted once and renewed when half its life is gone.
 *
 * @param send The fetch to wrap.
 * @param options Where variables are read.
 * @returns The wrapped fetch.
 * @throws {NetScriptError} `SERVICE_SECRET_INVALID` (from the first call) for a secret that is too short.
 *
 * @example
 * ```ts ignore
 * import { withServiceCredential } from "@netscript/contracts/credential";
 *
 * const send = withServiceCredential((request) => fetch(request));
 * await send(new Request(`${Deno.env.get("WORKERS_API_HTTP")}/api/jobs`));
 * ```
 */
export function withServiceCredential(
  send: (request: Request) => Promise<Response>,
  options: WithServiceCredentialOptions = {},
): (request: Request) => Promise<Response> {
  const env = options.env ?? processVariable;
  const envNames = options.envNames ?? _processVariableNames;
  let setup: { key: Uint8Array; subject: string; origins: ReadonlySet<string> } | null | undefined;
  let current: { token: string; renewAt: number } | undefined;
  const credential = async (key: Uint8Array, subject: string) => {
    if (current === undefined || Date.now() >= current.renewAt) {
      const token = await mintServiceCredential(key, subject);
      current = { token, renewAt: Date.now() + RENEW_AFTER_MS };
    }
    return current.token;
  };
  return async (request) => {
    if (setup === undefined) {
      const key = serviceSecretKey(env(SERVICE_SECRET_VARIABLE));
      setup = key === undefined ? null : {
        key,
        subject: env("OTEL_SERVICE_NAME") || "netscript",
        origins: workspaceServiceOrigins(env, envNames()),
      };
    }
    if (setup === null || request.headers.has("authorization")) return await send(request);
    const origin = new URL(request.url).origin;
    if (!setup.origins.has(origin) && options.trusts?.(origin) !== true) {
      return await send(request);
    }
    const headers = new Headers(request.headers);
    headers.set("authorization", `Bearer ${await credential(setup.key, setup.subject)}`);
    return await send(new Request(request, { headers }));
  };
}

/**
 * The origins of the workspace's services, from their service discovery
 * variables (`services__<name>__http__0`, `services__<name>__https__0`),
 * which `netscript dev` and the Aspire AppHost set.
 *
 * @param env Reads a variable.
 * @param names The names of the variables there are.
 * @returns The origins, e.g. `http://localhost:8091`.
 */
export function workspaceServiceOrigins(
  env: VariableReader,
  names: readonly string[],
): ReadonlySet<string> {
  const origins = new Set<string>();
  for (const name of names) {
    if (!/^services__.+__https?__\d+$/.test(name)) continue;
    const value = env(name);
    if (value === undefined) continue;
    try {
      const url = new URL(value);
      if (url.protocol === "http:" || url.protocol === "https:") origins.add(url.origin);
    } catch {
      // Not a URL: not a service address.
    }
  }
  return origins;
}

/**
 * Reads a variable of this process, as unset when the process may not read it
 * (no permission prompt, no error).
 *
 * @param name The variable.
 * @returns Its value, or `undefined`.
 */
export function processVariable(name: string): string | undefined {
  return Deno.permissions.querySync({ name: "env", variable: name }).state === "granted"
    ? Deno.env.get(name)
    : undefined;
}

function _processVariableNames(): readonly string[] {
  return Deno.permissions.querySync({ name: "env" }).state === "granted"
    ? Object.keys(Deno.env.toObject())
    : [];
}
