/**
 * A local stand-in for the two WorkOS endpoints the backend calls, for
 * offline tests with the real `@workos-inc/node`: the signing keys at
 * `/sso/jwks/<clientId>` and the refresh at `/user_management/authenticate`
 * (each refresh token works once, as at WorkOS). It signs access tokens
 * with RS256 and a `kid`, and seals cookies with the library's own sealing.
 *
 * @module
 */
import { type User, WorkOS } from "@workos-inc/node";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";

/** The API key the stand-in accepts. */
export const STAND_IN_API_KEY = "sk_test_stand_in_api_key_4f9c2e";
/** The client id whose keys it serves. */
export const STAND_IN_CLIENT_ID = "client_01STANDIN";
/** The password the cookies are sealed with. */
export const COOKIE_PASSWORD = "cookie-password-for-tests-0123456789-abcdef";
/** The issuer of its tokens. */
export const ISSUER = "https://api.workos.com/user_management/client_01STANDIN";

/** The user every token is about. */
export const USER: User = {
  object: "user",
  id: "user_01ADA",
  email: "ada@example.com",
  emailVerified: true,
  profilePictureUrl: null,
  name: null,
  firstName: "Ada",
  lastName: "Lovelace",
  lastSignInAt: null,
  locale: null,
  createdAt: new Date("2026-01-01T00:00:00Z"),
  updatedAt: new Date("2026-01-01T00:00:00Z"),
  externalId: null,
  metadata: {},
};

/** The claims of a fresh token of {@linkcode USER} unless overridden. */
export function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: USER.id,
    sid: "session_01ABC",
    iss: ISSUER,
    iat: now,
    auth_time: now - 60,
    exp: now + 300,
    org_id: "org_01XYZ",
    role: "admin",
    roles: ["admin", "editor"],
    permissions: ["posts:write", "posts:read"],
    ...overrides,
  };
}

/** How a token is signed. */
export interface SignOptions {
  /** `trusted` (the key the JWKS serves) or `other` (one it does not). */
  readonly key?: "trusted" | "other";
  /** The `kid` header. @default {the trusted key's} */
  readonly kid?: string;
}

/** A running stand-in. */
export interface WorkosStandIn {
  /** Its host (`127.0.0.1`). */
  readonly hostname: string;
  /** Its port. */
  readonly port: number;
  /** How many times its JWKS was fetched. */
  readonly jwksRequests: number;
  /** How many refreshes reached it. */
  readonly refreshRequests: number;
  /** The HTTP status the JWKS answers: 200, or e.g. 500 to fail. */
  jwksStatus: number;
  /** While `true`, refresh answers wait for {@linkcode WorkosStandIn.release}. */
  holdRefreshes: boolean;
  /** Resolves when the next refresh request arrives. */
  nextRefresh(): Promise<void>;
  /** Lets the held refresh answers go. */
  release(): void;
  /** Signs an access token. */
  sign(payload: Record<string, unknown>, options?: SignOptions): Promise<string>;
  /** Makes a refresh token the stand-in honours once. */
  refreshToken(): string;
  /** Seals a session cookie, as AuthKit's sign-in does. */
  seal(accessToken: string, refreshToken: string, password?: string): Promise<string>;
  /** Stops it. */
  close(): Promise<void>;
}

/**
 * Starts a stand-in on a free port.
 *
 * @returns It.
 */
export async function startWorkosStandIn(): Promise<WorkosStandIn> {
  const trusted = await generateKeyPair("RS256", { extractable: true });
  const other = await generateKeyPair("RS256", { extractable: true });
  const jwk: JWK = { ...await exportJWK(trusted.publicKey), kid: "key_trusted", alg: "RS256" };
  const sealer = new WorkOS(STAND_IN_API_KEY, { clientId: STAND_IN_CLIENT_ID });
  const honoured = new Set<string>();
  const stats = { jwksRequests: 0, refreshRequests: 0 };
  let counter = 0;
  let arrived: (() => void) | undefined;
  let arrival = new Promise<void>((resolve) => arrived = resolve);
  let releases: (() => void)[] = [];

  const sign = (payload: Record<string, unknown>, options: SignOptions = {}): Promise<string> =>
    new SignJWT(payload)
      .setProtectedHeader({ alg: "RS256", kid: options.kid ?? "key_trusted" })
      .sign(options.key === "other" ? other.privateKey : trusted.privateKey);
  const refreshToken = (): string => {
    const token = `refresh_${++counter}_${crypto.randomUUID()}`;
    honoured.add(token);
    return token;
  };

  const authenticate = async (request: Request): Promise<Response> => {
    stats.refreshRequests++;
    arrived?.();
    arrival = new Promise<void>((resolve) => arrived = resolve);
    if (standIn.holdRefreshes) await new Promise<void>((resolve) => releases.push(resolve));
    if (request.headers.get("authorization") !== `Bearer ${STAND_IN_API_KEY}`) {
      return Response.json({ message: "Unauthorized" }, { status: 401 });
    }
    const body = await request.json() as Record<string, unknown>;
    const token = body.refresh_token;
    if (
      body.grant_type !== "refresh_token" || body.client_id !== STAND_IN_CLIENT_ID ||
      typeof token !== "string" || !honoured.delete(token)
    ) {
      return Response.json({ error: "invalid_grant", error_description: "Invalid refresh token" }, {
        status: 400,
      });
    }
    return Response.json({
      user: {
        object: "user",
        id: USER.id,
        email: USER.email,
        email_verified: true,
        profile_picture_url: null,
        name: null,
        first_name: USER.firstName,
        last_name: USER.lastName,
        last_sign_in_at: null,
        locale: null,
        created_at: USER.createdAt.toISOString(),
        updated_at: USER.updatedAt.toISOString(),
      },
      organization_id: "org_01XYZ",
      access_token: await sign(claims({ exp: Math.floor(Date.now() / 1000) + 600 })),
      refresh_token: refreshToken(),
      authentication_method: "Password",
    });
  };

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const path = new URL(request.url).pathname;
    if (request.method === "GET" && path === `/sso/jwks/${STAND_IN_CLIENT_ID}`) {
      stats.jwksRequests++;
      return standIn.jwksStatus === 200
        ? Response.json({ keys: [jwk] })
        : Response.json({ message: "down" }, { status: standIn.jwksStatus });
    }
    if (request.method === "POST" && path === "/user_management/authenticate") {
      return authenticate(request);
    }
    return Response.json({ message: "Not found" }, { status: 404 });
  });

  const standIn: WorkosStandIn = {
    hostname: "127.0.0.1",
    port: server.addr.port,
    get jwksRequests() {
      return stats.jwksRequests;
    },
    get refreshRequests() {
      return stats.refreshRequests;
    },
    jwksStatus: 200,
    holdRefreshes: false,
    nextRefresh: () => arrival,
    release() {
      for (const release of releases) release();
      releases = [];
    },
    sign,
    refreshToken,
    // The library's own sealing: what `authenticateWithCode({ session: { sealSession: true } })`
    // uses to make AuthKit's cookie. It is private in the types, so it is reached by name.
    seal: (accessToken, token, password = COOKIE_PASSWORD) =>
      sealer.userManagement["sealSessionDataFromAuthenticationResponse"]({
        authenticationResponse: {
          user: USER,
          accessToken,
          refreshToken: token,
          authenticationMethod: "Password",
        },
        cookiePassword: password,
      }),
    async close() {
      standIn.release();
      await server.shutdown();
    },
  };
  return standIn;
}
