/**
 * The guard end to end: a real HTTP server stands in for `auth-api` (its
 * `GET /api/session` answers from a map of cookies, and it serves the real
 * revocation hub at `/auth/revocations`), and guarded services are called
 * through their fetch handler or over a real port.
 *
 * @module
 */
import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { access, baseContract, isNetScriptError } from "@netscript/contracts";
import { mintServiceCredential, serviceSecretKey } from "@netscript/contracts/credential";
import type { Logger } from "@netscript/telemetry";
import { oc } from "@orpc/contract";
import { z } from "zod";
import {
  createGuard,
  createRevocationHub,
  createService,
  type Guard,
  guardFromEnvironment,
  type GuardOptions,
  implement,
  REVOCATION_FEED_PATH,
  type RevocationHub,
  type RevocationHubOptions,
  type ServiceContext,
  type ServiceMount,
} from "./mod.ts";
import { FEED_CLOSE_TOO_SLOW, FEED_CLOSE_UNAUTHORIZED } from "./revocation_feed.ts";
import { captureLogger } from "./testdata/capture_logger.ts";

const SECRET = serviceSecretKey("the-workspace-service-secret-for-guard-tests")!;
const OTHER_SECRET = serviceSecretKey("a-different-workspace-secret-of-32-chars!")!;
const BASE = "http://notes.test";

// ---------------------------------------------------------------------------
// The auth-api stand-in

/** A session as `auth-api`'s `GET /api/session` answers it. */
interface SessionAnswer {
  id: string;
  user: { id: string; email: string | null; name: string | null; roles: string[] };
  backend: string;
  createdAt: string;
  expiresAt: string;
  scopes: string[];
  current: boolean;
}

function sessionOf(
  user: string,
  options: { roles?: string[]; scopes?: string[]; expiresAt?: Date } = {},
): SessionAnswer {
  return {
    id: `s-${user}`,
    user: { id: user, email: `${user}@example.com`, name: user, roles: options.roles ?? [] },
    backend: "kv-oauth",
    createdAt: new Date(Date.now() - 60_000).toISOString(),
    expiresAt: (options.expiresAt ?? new Date(Date.now() + 3_600_000)).toISOString(),
    scopes: options.scopes ?? [],
    current: true,
  };
}

/** The cookie header of a user's session. */
const cookieOf = (user: string) => `netscript-session=${user}`;

/** A real HTTP server answering like `auth-api`, with the real revocation hub. */
interface AuthStandIn extends AsyncDisposable {
  /** Its base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** The valid sessions, by cookie header (or authorization header). */
  readonly sessions: Map<string, SessionAnswer>;
  /** The headers of each `GET /api/session` it answered. */
  readonly asked: Headers[];
  /** How many revocation feed connections it accepted. */
  readonly upgrades: () => number;
  /** The hub it serves the feed from. */
  readonly hub: RevocationHub;
  /** Answers `/api/session` instead of the map while set. */
  answer: (() => Response | Promise<Response>) | undefined;
}

function startAuthStandIn(
  users: Record<string, SessionAnswer> = {},
  hubOptions: Partial<RevocationHubOptions> = {},
): AuthStandIn {
  const sessions = new Map(
    Object.entries(users).map(([user, session]) => [cookieOf(user), session]),
  );
  const asked: Headers[] = [];
  let upgrades = 0;
  const hub = createRevocationHub({
    serviceSecret: SECRET,
    logger: captureLogger("auth-api").logger,
    ...hubOptions,
  });
  const standIn: AuthStandIn = {
    url: "",
    sessions,
    asked,
    upgrades: () => upgrades,
    hub,
    answer: undefined,
    async [Symbol.asyncDispose]() {
      hub.close();
      await server.shutdown();
    },
  };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const path = new URL(request.url).pathname;
    if (path === REVOCATION_FEED_PATH) {
      upgrades++;
      return hub.accept(request);
    }
    if (path !== "/api/session") return new Response("Not found", { status: 404 });
    asked.push(request.headers);
    if (standIn.answer !== undefined) return standIn.answer();
    const found = sessions.get(request.headers.get("cookie") ?? "") ??
      sessions.get(request.headers.get("authorization") ?? "");
    return found === undefined
      ? Response.json(
        { defined: true, code: "UNAUTHORIZED", status: 401, message: "No session" },
        { status: 401 },
      )
      : Response.json(found);
  });
  return Object.assign(standIn, { url: `http://127.0.0.1:${server.addr.port}` });
}

/** The URL of a port nobody listens on any more. */
async function deadUrl(): Promise<string> {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response(),
  );
  await server.shutdown();
  return `http://127.0.0.1:${server.addr.port}`;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until `condition` holds, polling, for at most about five seconds. */
async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await delay(10);
  }
  throw new Error(`Gave up waiting for ${what}`);
}

/** A guard that logs into memory, and the records. */
function guardFor(
  standIn: { url: string },
  options: Partial<GuardOptions> = {},
): { guard: Guard; records: Record<string, unknown>[] } {
  const { logger, records } = captureLogger("guard");
  return { guard: createGuard({ authUrl: standIn.url, logger, ...options }), records };
}

/** Waits until a guard is subscribed and has taken in everything sent so far. */
async function feedReady(standIn: AuthStandIn, subscribers = 1): Promise<void> {
  await waitFor(() => standIn.hub.subscribers === subscribers, "the guard to subscribe");
  await standIn.hub.publish(["no-such-session"]);
}

/** Closes a guard and waits until the hub has seen its subscription end. */
async function closeGuard(guard: Guard, standIn?: AuthStandIn): Promise<void> {
  guard.close();
  if (standIn !== undefined) {
    await waitFor(() => standIn.hub.subscribers === 0, "the subscription to end");
    await delay(20);
  }
}

// ---------------------------------------------------------------------------
// The guarded service

const notesContract = {
  notes: {
    list: baseContract.route({ method: "GET", path: "/notes" }).output(z.array(z.string())),
    add: baseContract
      .route({ method: "POST", path: "/notes" })
      .input(z.object({ text: z.string() }))
      .output(z.object({ text: z.string(), by: z.string() })),
    clear: baseContract
      .route({
        method: "DELETE",
        path: "/notes",
        spec: access.session({ roles: ["admin", "editor"] }),
      })
      .output(z.object({ by: z.string() })),
    export: baseContract
      .route({
        method: "GET",
        path: "/notes/export",
        spec: access.session({ scopes: ["notes:export"] }),
      })
      .output(z.object({ by: z.string() })),
  },
  whoami: baseContract
    .route({ method: "GET", path: "/whoami", spec: access.session() })
    .output(z.object({ by: z.string() })),
  ping: baseContract
    .route({ method: "POST", path: "/ping", spec: access.public() })
    .output(z.object({ by: z.string() })),
};

/** Who the handler saw in `context.principal`. */
function callerOf(context: ServiceContext): string {
  const principal = context.principal;
  if (principal === undefined) return "nobody";
  return principal.kind === "user"
    ? `user:${principal.user.id}:${principal.sessionId}`
    : `service:${principal.service}`;
}

function notesService(
  options: {
    guard: Guard | null;
    defaultAccess?: "public" | "writes" | "all";
    mounts?: readonly ServiceMount[];
    logger?: Logger;
  },
) {
  const os = implement(notesContract).$context<ServiceContext>();
  return createService({
    name: "notes",
    contract: notesContract,
    router: os.router({
      notes: {
        list: os.notes.list.handler(() => ["a note"]),
        add: os.notes.add.handler(({ input, context }) => ({
          text: input.text,
          by: callerOf(context),
        })),
        clear: os.notes.clear.handler(({ context }) => ({ by: callerOf(context) })),
        export: os.notes.export.handler(({ context }) => ({ by: callerOf(context) })),
      },
      whoami: os.whoami.handler(({ context }) => ({ by: callerOf(context) })),
      ping: os.ping.handler(({ context }) => ({ by: callerOf(context) })),
    }),
    currentVersion: "v1",
    logRequests: false,
    logger: options.logger ?? captureLogger("notes").logger,
    guard: options.guard,
    ...(options.defaultAccess === undefined ? {} : { defaultAccess: options.defaultAccess }),
    ...(options.mounts === undefined ? {} : { mounts: options.mounts }),
  });
}

interface Answer {
  status: number;
  body: Record<string, unknown> & { data?: Record<string, unknown> };
}

/** Calls a service in process; `cookie` and `authorization` are sent when given. */
async function call(
  service: { fetch(request: Request): Promise<Response> },
  method: string,
  path: string,
  options: { cookie?: string; authorization?: string; body?: unknown; headers?: HeadersInit } = {},
): Promise<Answer> {
  const headers = new Headers(options.headers);
  if (options.cookie !== undefined) headers.set("cookie", options.cookie);
  if (options.authorization !== undefined) headers.set("authorization", options.authorization);
  if (options.body !== undefined) headers.set("content-type", "application/json");
  const response = await service.fetch(
    new Request(`${BASE}${path}`, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    }),
  );
  const text = await response.text();
  return { status: response.status, body: text === "" ? {} : JSON.parse(text) };
}

/** Calls a procedure over the RPC protocol; the answer's body is the RPC `json`. */
async function rpc(
  service: { fetch(request: Request): Promise<Response> },
  procedure: string,
  input: unknown,
  options: { cookie?: string; authorization?: string } = {},
): Promise<Answer> {
  const answer = await call(service, "POST", `/api/rpc/${procedure}`, {
    ...options,
    body: { json: input },
  });
  return { status: answer.status, body: answer.body["json"] as Answer["body"] };
}

// ---------------------------------------------------------------------------
// Without a guard

Deno.test("without a guard, a declared session is refused 401 UNAUTHORIZED", async () => {
  const service = notesService({ guard: null });
  for (const cookie of [undefined, cookieOf("alice")]) {
    const answer = await call(service, "GET", "/api/whoami", cookie ? { cookie } : {});
    equal(answer.status, 401);
    equal(answer.body["code"], "UNAUTHORIZED");
    match(String(answer.body["message"]), /no guard/);
  }
  equal((await call(service, "DELETE", "/api/notes", { cookie: cookieOf("alice") })).status, 401);
  equal((await rpc(service, "whoami", undefined)).status, 401);
  equal((await rpc(service, "whoami", undefined)).body["code"], "UNAUTHORIZED");
});

Deno.test("without a guard, defaultAccess does not apply: undeclared routes are open", async () => {
  const service = notesService({ guard: null, defaultAccess: "all" });
  const list = await call(service, "GET", "/api/notes");
  equal(list.status, 200);
  deepEqual(list.body, ["a note"]);
  const added = await call(service, "POST", "/api/notes", { body: { text: "hi" } });
  equal(added.status, 200);
  deepEqual(added.body, { text: "hi", by: "nobody" });
  equal((await rpc(service, "notes/add", { text: "hi" })).status, 200);
  deepEqual((await call(service, "POST", "/api/ping")).body, { by: "nobody" });
});

// ---------------------------------------------------------------------------
// Sessions

Deno.test("a guarded service with defaultAccess writes", async (t) => {
  await using standIn = startAuthStandIn({
    alice: sessionOf("alice"),
  });
  const { guard } = guardFor(standIn);
  const service = notesService({ guard, defaultAccess: "writes" });

  await t.step("answers a GET without a cookie, without asking auth-api", async () => {
    const answer = await call(service, "GET", "/api/notes");
    equal(answer.status, 200);
    deepEqual(answer.body, ["a note"]);
    equal(standIn.asked.length, 0);
  });
  await t.step("refuses a POST without a cookie 401, without asking auth-api", async () => {
    const answer = await call(service, "POST", "/api/notes", { body: { text: "hi" } });
    equal(answer.status, 401);
    equal(answer.body["code"], "UNAUTHORIZED");
    equal(answer.body["defined"], true);
    equal(standIn.asked.length, 0);
  });
  await t.step("refuses a POST with a cookie auth-api does not know 401", async () => {
    const answer = await call(service, "POST", "/api/notes", {
      cookie: cookieOf("mallory"),
      body: { text: "hi" },
    });
    equal(answer.status, 401);
    equal(answer.body["code"], "UNAUTHORIZED");
    equal(standIn.asked.length, 1);
  });
  await t.step("answers a POST with a session; the handler sees the principal", async () => {
    const answer = await call(service, "POST", "/api/notes", {
      cookie: cookieOf("alice"),
      body: { text: "hi" },
    });
    equal(answer.status, 200);
    deepEqual(answer.body, { text: "hi", by: "user:alice:s-alice" });
  });
  await t.step("forwards only the cookie and authorization to auth-api", async () => {
    await call(service, "POST", "/api/notes", {
      cookie: cookieOf("alice"),
      authorization: "Basic not-a-credential",
      headers: { "x-forwarded-for": "10.0.0.1", "x-api-key": "private" },
      body: { text: "hi" },
    });
    const headers = standIn.asked.at(-1)!;
    equal(headers.get("cookie"), cookieOf("alice"));
    equal(headers.get("authorization"), "Basic not-a-credential");
    equal(headers.get("accept"), "application/json");
    equal(headers.get("x-forwarded-for"), null);
    equal(headers.get("x-api-key"), null);
    equal(headers.get("content-type"), null);
  });
  await t.step("a declared session applies to a GET too", async () => {
    equal((await call(service, "GET", "/api/whoami")).status, 401);
    deepEqual((await call(service, "GET", "/api/whoami", { cookie: cookieOf("alice") })).body, {
      by: "user:alice:s-alice",
    });
  });
  await t.step("a declared public route is open to a POST; it sees no principal", async () => {
    const answer = await call(service, "POST", "/api/ping", { cookie: cookieOf("alice") });
    equal(answer.status, 200);
    deepEqual(answer.body, { by: "nobody" });
  });
  await t.step("the named version of the API is guarded the same", async () => {
    equal((await call(service, "POST", "/api/v1/notes", { body: { text: "hi" } })).status, 401);
    equal((await call(service, "GET", "/api/v1/notes")).status, 200);
  });
  guard.close();
});

Deno.test("the RPC protocol is guarded like the REST routes", async () => {
  await using standIn = startAuthStandIn({ alice: sessionOf("alice") });
  const { guard } = guardFor(standIn);
  const service = notesService({ guard, defaultAccess: "writes" });
  const refused = await rpc(service, "notes/add", { text: "hi" });
  equal(refused.status, 401);
  equal(refused.body["code"], "UNAUTHORIZED");
  const answered = await rpc(service, "notes/add", { text: "hi" }, { cookie: cookieOf("alice") });
  equal(answered.status, 200);
  deepEqual(answered.body, { text: "hi", by: "user:alice:s-alice" });
  equal((await rpc(service, "notes/list", undefined)).status, 200, "a GET route is a read");
  equal((await rpc(service, "whoami", undefined)).status, 401, "declared access holds over RPC");
  equal(
    (await call(service, "POST", "/api/v1/rpc/notes/add", { body: { json: { text: "x" } } }))
      .status,
    401,
  );
  const forbidden = await rpc(service, "notes/clear", undefined, { cookie: cookieOf("alice") });
  equal(forbidden.status, 403);
  equal(forbidden.body["code"], "FORBIDDEN");
  guard.close();
});

Deno.test("defaultAccess all guards reads too; public leaves undeclared routes open", async (t) => {
  await using standIn = startAuthStandIn({ alice: sessionOf("alice") });
  const { guard } = guardFor(standIn);
  await t.step("all", async () => {
    const service = notesService({ guard, defaultAccess: "all" });
    equal((await call(service, "GET", "/api/notes")).status, 401);
    equal((await call(service, "GET", "/api/notes", { cookie: cookieOf("alice") })).status, 200);
    equal((await call(service, "POST", "/api/ping")).status, 200, "declared public stays open");
  });
  await t.step("public (the default)", async () => {
    const service = notesService({ guard });
    equal((await call(service, "POST", "/api/notes", { body: { text: "x" } })).status, 200);
    equal((await call(service, "GET", "/api/whoami")).status, 401, "declared access holds");
  });
  guard.close();
});

Deno.test("roles and scopes a route declares are checked: 403 FORBIDDEN without them", async (t) => {
  await using standIn = startAuthStandIn({
    viewer: sessionOf("viewer", { roles: ["viewer"] }),
    editor: sessionOf("editor", { roles: ["viewer", "editor"] }),
    admin: sessionOf("admin", { roles: ["admin"] }),
    exporter: sessionOf("exporter", { scopes: ["notes:read", "notes:export"] }),
  });
  const { guard } = guardFor(standIn);
  const service = notesService({ guard, defaultAccess: "writes" });
  await t.step("a user without one of the roles", async () => {
    const answer = await call(service, "DELETE", "/api/notes", { cookie: cookieOf("viewer") });
    equal(answer.status, 403);
    equal(answer.body["code"], "FORBIDDEN");
    match(String(answer.body["message"]), /admin, editor/);
  });
  await t.step("a user with any one of them", async () => {
    for (const user of ["editor", "admin"]) {
      const answer = await call(service, "DELETE", "/api/notes", { cookie: cookieOf(user) });
      equal(answer.status, 200, user);
      deepEqual(answer.body, { by: `user:${user}:s-${user}` });
    }
  });
  await t.step("nobody is still 401, not 403", async () => {
    equal((await call(service, "DELETE", "/api/notes")).status, 401);
  });
  await t.step("a session without a scope", async () => {
    const answer = await call(service, "GET", "/api/notes/export", { cookie: cookieOf("admin") });
    equal(answer.status, 403);
    match(String(answer.body["message"]), /notes:export/);
  });
  await t.step("a session with the scope", async () => {
    const answer = await call(service, "GET", "/api/notes/export", {
      cookie: cookieOf("exporter"),
    });
    equal(answer.status, 200);
  });
  guard.close();
});

// ---------------------------------------------------------------------------
// Service credentials

Deno.test("a workspace process gets in with a service credential", async (t) => {
  await using standIn = startAuthStandIn();
  const { guard } = guardFor(standIn, { serviceSecret: SECRET });
  const service = notesService({ guard, defaultAccess: "writes" });
  const bearer = `Bearer ${await mintServiceCredential(SECRET, "trigger-processor")}`;
  await t.step("accepted without asking auth-api; the principal is the service", async () => {
    const answer = await call(service, "POST", "/api/notes", {
      authorization: bearer,
      body: { text: "from a job" },
    });
    equal(answer.status, 200);
    deepEqual(answer.body, { text: "from a job", by: "service:trigger-processor" });
    equal(standIn.asked.length, 0);
  });
  await t.step("again, and over RPC", async () => {
    equal((await rpc(service, "notes/add", { text: "x" }, { authorization: bearer })).status, 200);
    equal(standIn.asked.length, 0);
  });
  await t.step("the scheme name is case-insensitive", async () => {
    const lower = bearer.replace("Bearer", "bearer");
    equal((await call(service, "GET", "/api/whoami", { authorization: lower })).status, 200);
  });
  await t.step("a route's roles do not apply to a workspace process", async () => {
    deepEqual((await call(service, "DELETE", "/api/notes", { authorization: bearer })).body, {
      by: "service:trigger-processor",
    });
  });
  await t.step("a credential of another workspace is 401", async () => {
    const foreign = `Bearer ${await mintServiceCredential(OTHER_SECRET, "intruder")}`;
    const answer = await call(service, "POST", "/api/notes", {
      authorization: foreign,
      body: { text: "x" },
    });
    equal(answer.status, 401);
    equal(
      standIn.asked.some((headers) => headers.get("authorization") === foreign),
      false,
      "a token claiming to be a service credential is never sent to auth-api",
    );
  });
  await t.step("an expired credential is 401", async () => {
    const expired = `Bearer ${await mintServiceCredential(SECRET, "late", -1)}`;
    equal((await call(service, "GET", "/api/whoami", { authorization: expired })).status, 401);
  });
  await t.step("a service principal is the same object for a repeated credential", async () => {
    const token = bearer.slice("Bearer ".length);
    const headers = new Headers({ authorization: `Bearer ${token}` });
    const first = await guard.authenticate(headers);
    equal(first?.kind, "service");
    equal(await guard.authenticate(headers), first);
  });
  await closeGuard(guard);
});

Deno.test("a guard without the workspace's secret accepts no service credential", async () => {
  await using standIn = startAuthStandIn();
  const { guard } = guardFor(standIn);
  const service = notesService({ guard, defaultAccess: "writes" });
  const bearer = `Bearer ${await mintServiceCredential(SECRET, "trigger-processor")}`;
  equal((await call(service, "GET", "/api/whoami", { authorization: bearer })).status, 401);
  equal(standIn.asked.length, 0, "the credential is refused without asking auth-api");
  guard.close();
});

// ---------------------------------------------------------------------------
// auth-api unavailable

Deno.test("when auth-api cannot be asked, requests that need a caller are 503", async (t) => {
  await using standIn = startAuthStandIn({ alice: sessionOf("alice") });
  const mount = { prefix: "/hooks/", fetch: () => Promise.resolve(Response.json({})) };

  const expect503 = async (service: ReturnType<typeof notesService>) => {
    const answer = await call(service, "POST", "/api/notes", {
      cookie: cookieOf("alice"),
      body: { text: "x" },
    });
    equal(answer.status, 503);
    equal(answer.body["code"], "SERVICE_UNAVAILABLE");
    deepEqual(answer.body.data, { dependency: "auth-api" });
    const overRpc = await rpc(service, "notes/add", { text: "x" }, { cookie: cookieOf("alice") });
    equal(overRpc.status, 503);
    deepEqual(overRpc.body.data, { dependency: "auth-api" });
    const mounted = await call(service, "POST", "/hooks/x", { cookie: cookieOf("alice") });
    equal(mounted.status, 503);
    deepEqual(mounted.body.data, { dependency: "auth-api" });
    equal((await call(service, "GET", "/api/notes")).status, 200, "a read needs no caller");
    equal((await call(service, "POST", "/api/notes", { body: { text: "x" } })).status, 401);
  };

  await t.step("not listening", async () => {
    const { guard } = guardFor({ url: await deadUrl() });
    await expect503(notesService({ guard, defaultAccess: "writes", mounts: [mount] }));
    await rejects(
      () => guard.authenticate(new Headers({ cookie: cookieOf("alice") })),
      (error) =>
        isNetScriptError(error) && error.code === "SERVICE_AUTH_UNAVAILABLE" &&
        error.details?.["dependency"] === "auth-api",
    );
    guard.close();
  });
  await t.step("answering an error", async () => {
    standIn.answer = () => new Response("boom", { status: 500 });
    const { guard } = guardFor(standIn);
    await expect503(notesService({ guard, defaultAccess: "writes", mounts: [mount] }));
    guard.close();
  });
  await t.step("answering something that is not a session", async () => {
    standIn.answer = () => Response.json({ hello: "world" });
    const { guard } = guardFor(standIn);
    await expect503(notesService({ guard, defaultAccess: "writes", mounts: [mount] }));
    guard.close();
  });
  await t.step("too slow", async () => {
    const waiting: (() => void)[] = [];
    standIn.answer = () =>
      new Promise<Response>((resolve) => waiting.push(() => resolve(new Response(null))));
    const { guard } = guardFor(standIn, { timeoutMs: 50 });
    const service = notesService({ guard, defaultAccess: "writes" });
    const answer = await call(service, "POST", "/api/notes", {
      cookie: cookieOf("alice"),
      body: { text: "x" },
    });
    equal(answer.status, 503);
    deepEqual(answer.body.data, { dependency: "auth-api" });
    for (const release of waiting) release();
    guard.close();
  });
  standIn.answer = undefined;
});

// ---------------------------------------------------------------------------
// The session cache and the revocation feed

Deno.test("with the feed connected, sessions are kept and a revocation ends them at once", async (t) => {
  await using standIn = startAuthStandIn({
    alice: sessionOf("alice"),
    bob: sessionOf("bob"),
  });
  const { guard } = guardFor(standIn, { serviceSecret: SECRET });
  const service = notesService({ guard, defaultAccess: "writes" });
  const asAlice = () => call(service, "GET", "/api/whoami", { cookie: cookieOf("alice") });
  const asBob = () => call(service, "GET", "/api/whoami", { cookie: cookieOf("bob") });

  await t.step("the first request with a session subscribes the guard to the feed", async () => {
    equal(standIn.upgrades(), 0);
    equal((await asAlice()).status, 200);
    await feedReady(standIn);
    equal(standIn.upgrades(), 1);
  });
  await t.step("once subscribed, a session is checked once, then kept", async () => {
    const before = standIn.asked.length;
    equal((await asAlice()).status, 200);
    equal((await asBob()).status, 200);
    equal(standIn.asked.length, before + 2);
    equal((await asAlice()).status, 200);
    equal((await asBob()).status, 200);
    deepEqual((await rpc(service, "whoami", undefined, { cookie: cookieOf("alice") })).body, {
      by: "user:alice:s-alice",
    });
    equal(standIn.asked.length, before + 2, "kept sessions do not reach auth-api");
  });
  await t.step("a kept session is served until it is revoked", async () => {
    standIn.sessions.delete(cookieOf("alice"));
    const before = standIn.asked.length;
    equal((await asAlice()).status, 200);
    equal(standIn.asked.length, before);
  });
  await t.step("after publish() resolves, the very next request is refused", async () => {
    await standIn.hub.publish(["s-alice"]);
    const before = standIn.asked.length;
    const answer = await asAlice();
    equal(answer.status, 401);
    equal(standIn.asked.length, before + 1);
  });
  await t.step("another session stays kept", async () => {
    const before = standIn.asked.length;
    equal((await asBob()).status, 200);
    equal(standIn.asked.length, before);
    equal(standIn.hub.subscribers, 1, "the guard acknowledged and stays subscribed");
  });
  await closeGuard(guard, standIn);
});

Deno.test("a session being checked while it is revoked is not kept", async () => {
  await using standIn = startAuthStandIn({ alice: sessionOf("alice") });
  const { guard } = guardFor(standIn, { serviceSecret: SECRET });
  const headers = new Headers({ cookie: cookieOf("alice") });
  await guard.authenticate(headers);
  await feedReady(standIn);

  const held = Promise.withResolvers<void>();
  standIn.answer = async () => {
    await held.promise;
    return Response.json(sessionOf("alice"));
  };
  const checking = guard.authenticate(headers);
  await waitFor(() => standIn.asked.length === 2, "the check to start");
  await standIn.hub.publish(["s-alice"]);
  held.resolve();
  equal((await checking)?.kind, "user", "the answer auth-api gave before the revocation");

  standIn.answer = undefined;
  standIn.sessions.delete(cookieOf("alice"));
  equal(await guard.authenticate(headers), null, "but it was not kept");
  equal(standIn.asked.length, 3);
  await closeGuard(guard, standIn);
});

Deno.test("without a service secret there is no feed and every request reaches auth-api", async () => {
  await using standIn = startAuthStandIn({ alice: sessionOf("alice") });
  const { guard } = guardFor(standIn);
  const service = notesService({ guard, defaultAccess: "writes" });
  for (let i = 1; i <= 3; i++) {
    equal((await call(service, "GET", "/api/whoami", { cookie: cookieOf("alice") })).status, 200);
    equal(standIn.asked.length, i);
  }
  await delay(50);
  equal(standIn.upgrades(), 0);
  equal(standIn.hub.subscribers, 0);
  guard.close();
});

Deno.test("cacheTtlMs 0 or maxCachedSessions 0 keep no session and open no feed", async (t) => {
  for (const options of [{ cacheTtlMs: 0 }, { maxCachedSessions: 0 }]) {
    await t.step(JSON.stringify(options), async () => {
      await using standIn = startAuthStandIn({ alice: sessionOf("alice") });
      const { guard } = guardFor(standIn, { serviceSecret: SECRET, ...options });
      const headers = new Headers({ cookie: cookieOf("alice") });
      for (let i = 1; i <= 3; i++) {
        equal((await guard.authenticate(headers))?.kind, "user");
        equal(standIn.asked.length, i);
      }
      await delay(50);
      equal(standIn.upgrades(), 0);
      guard.close();
    });
  }
});

Deno.test("maxCachedSessions keeps only the newest sessions", async () => {
  await using standIn = startAuthStandIn({ alice: sessionOf("alice"), bob: sessionOf("bob") });
  const { guard } = guardFor(standIn, { serviceSecret: SECRET, maxCachedSessions: 1 });
  const alice = new Headers({ cookie: cookieOf("alice") });
  const bob = new Headers({ cookie: cookieOf("bob") });
  await guard.authenticate(alice);
  await feedReady(standIn);
  const before = standIn.asked.length;
  await guard.authenticate(alice);
  await guard.authenticate(alice);
  equal(standIn.asked.length, before + 1, "alice is kept");
  await guard.authenticate(bob);
  await guard.authenticate(bob);
  equal(standIn.asked.length, before + 2, "bob is kept");
  await guard.authenticate(alice);
  equal(standIn.asked.length, before + 3, "alice made room for bob");
  await closeGuard(guard, standIn);
});

Deno.test("a session is never kept past its expiry", async () => {
  await using standIn = startAuthStandIn({
    alice: sessionOf("alice", { expiresAt: new Date(Date.now() - 1_000) }),
  });
  const { guard } = guardFor(standIn, { serviceSecret: SECRET });
  const headers = new Headers({ cookie: cookieOf("alice") });
  await guard.authenticate(headers);
  await feedReady(standIn);
  const before = standIn.asked.length;
  await guard.authenticate(headers);
  await guard.authenticate(headers);
  equal(standIn.asked.length, before + 2);
  await closeGuard(guard, standIn);
});

Deno.test("the guard's principal is the session auth-api answered", async () => {
  const session = sessionOf("alice", { roles: ["editor"], scopes: ["notes:read"] });
  await using standIn = startAuthStandIn({ alice: session });
  const { guard } = guardFor({ url: `${standIn.url}/` });
  deepEqual(await guard.authenticate(new Headers({ cookie: cookieOf("alice") })), {
    kind: "user",
    sessionId: "s-alice",
    user: { id: "alice", email: "alice@example.com", name: "alice", roles: ["editor"] },
    scopes: ["notes:read"],
    expiresAt: new Date(session.expiresAt),
  });
  equal(await guard.authenticate(new Headers()), null);
  equal(await guard.authenticate(new Headers({ "x-session": "alice" })), null);
  equal(standIn.asked.length, 1, "a request with neither cookie nor authorization is not checked");
  guard.close();
});

Deno.test("a guard whose credential the hub refuses keeps no sessions", async () => {
  await using standIn = startAuthStandIn({ alice: sessionOf("alice") });
  const { guard, records } = guardFor(standIn, { serviceSecret: OTHER_SECRET });
  const headers = new Headers({ cookie: cookieOf("alice") });
  await guard.authenticate(headers);
  await waitFor(
    () => records.some((record) => String(record["msg"]).includes("not connected")),
    "the guard to notice the refusal",
  );
  const notice = records.find((record) => String(record["msg"]).includes("not connected"));
  equal(notice?.["code"], FEED_CLOSE_UNAUTHORIZED);
  equal(standIn.hub.subscribers, 0);
  const before = standIn.asked.length;
  await guard.authenticate(headers);
  await guard.authenticate(headers);
  equal(standIn.asked.length, before + 2);
  guard.close();
});

Deno.test("a guard that loses the feed forgets its sessions and subscribes again", async () => {
  await using standIn = startAuthStandIn({ alice: sessionOf("alice") });
  const { guard, records } = guardFor(standIn, { serviceSecret: SECRET });
  const headers = new Headers({ cookie: cookieOf("alice") });
  await guard.authenticate(headers);
  await feedReady(standIn);
  await guard.authenticate(headers);
  const kept = standIn.asked.length;
  await guard.authenticate(headers);
  equal(standIn.asked.length, kept, "kept while subscribed");

  standIn.hub.close();
  await waitFor(
    () => records.some((record) => String(record["msg"]).includes("not connected")),
    "the guard to notice the lost feed",
  );
  await guard.authenticate(headers);
  equal(standIn.asked.length, kept + 1, "checked again once the feed is lost");

  await feedReady(standIn);
  equal(standIn.upgrades(), 2, "subscribed again");
  await guard.authenticate(headers);
  await guard.authenticate(headers);
  equal(standIn.asked.length, kept + 2, "kept again");
  await closeGuard(guard, standIn);
});

Deno.test("a closed guard does not subscribe again", async () => {
  await using standIn = startAuthStandIn({ alice: sessionOf("alice") });
  const { guard } = guardFor(standIn, { serviceSecret: SECRET });
  const headers = new Headers({ cookie: cookieOf("alice") });
  await guard.authenticate(headers);
  await feedReady(standIn);
  await closeGuard(guard, standIn);
  const before = standIn.asked.length;
  equal((await guard.authenticate(headers))?.kind, "user", "it still checks with auth-api");
  equal((await guard.authenticate(headers))?.kind, "user");
  equal(standIn.asked.length, before + 2, "and keeps nothing");
  await delay(100);
  equal(standIn.upgrades(), 1);
  equal(standIn.hub.subscribers, 0);
});

// ---------------------------------------------------------------------------
// The hub

/**
 * A WebSocket subscriber driven by the test: it says hello (when given one),
 * records what it receives, and acknowledges revocations only when `ack`.
 */
async function rawSubscriber(url: string, hello: unknown, options: { ack?: boolean } = {}) {
  const socket = new WebSocket(`${url.replace(/^http/, "ws")}${REVOCATION_FEED_PATH}`);
  const messages: Record<string, unknown>[] = [];
  const closed = new Promise<CloseEvent>((resolve) => socket.onclose = resolve);
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    messages.push(message);
    if (options.ack === true && message.type === "revoked") {
      socket.send(JSON.stringify({ type: "ack", seq: message.seq }));
    }
  };
  await new Promise((resolve) => socket.onopen = resolve);
  if (hello !== undefined) socket.send(JSON.stringify(hello));
  return { socket, messages, closed };
}

/** The code the hub closed a raw subscriber with; fails (and closes it) if the hub does not. */
async function closeCode(subscriber: Awaited<ReturnType<typeof rawSubscriber>>): Promise<number> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const gaveUp = new Promise<undefined>((resolve) =>
    timer = setTimeout(() => resolve(undefined), 5_000)
  );
  try {
    const event = await Promise.race([subscriber.closed, gaveUp]);
    if (event === undefined) {
      subscriber.socket.close();
      await subscriber.closed;
      throw new Error("The hub did not close the subscriber");
    }
    return event.code;
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("the hub drops a subscriber that does not acknowledge in time", async () => {
  await using standIn = startAuthStandIn({ alice: sessionOf("alice") }, { ackTimeoutMs: 200 });
  const { guard } = guardFor(standIn, { serviceSecret: SECRET });
  await guard.authenticate(new Headers({ cookie: cookieOf("alice") }));
  await feedReady(standIn);

  const credential = await mintServiceCredential(SECRET, "stuck");
  const stuck = await rawSubscriber(standIn.url, { type: "hello", credential });
  await waitFor(() => stuck.messages.length > 0, "ready");
  deepEqual(stuck.messages, [{ type: "ready" }]);
  equal(standIn.hub.subscribers, 2);

  await standIn.hub.publish(["s-alice"]);
  equal(standIn.hub.subscribers, 1, "the silent one is dropped by the time publish resolves");
  equal(await closeCode(stuck), FEED_CLOSE_TOO_SLOW);
  deepEqual(stuck.messages[1], { type: "revoked", seq: 2, sessions: ["s-alice"] });
  await standIn.hub.publish(["s-bob"]);
  equal(standIn.hub.subscribers, 1, "the guard acknowledges and stays");
  await closeGuard(guard, standIn);
});

Deno.test("the hub's publish waits for the acknowledgement", async () => {
  await using standIn = startAuthStandIn({}, { ackTimeoutMs: 30_000 });
  const credential = await mintServiceCredential(SECRET, "manual");
  const subscriber = await rawSubscriber(standIn.url, { type: "hello", credential }, {
    ack: true,
  });
  await waitFor(() => standIn.hub.subscribers === 1, "ready");
  await standIn.hub.publish(["s-1", "s-2"]);
  deepEqual(subscriber.messages, [
    { type: "ready" },
    { type: "revoked", seq: 1, sessions: ["s-1", "s-2"] },
  ]);
  equal(standIn.hub.subscribers, 1, "acknowledged, not dropped");
  subscriber.socket.close();
  await subscriber.closed;
  await waitFor(() => standIn.hub.subscribers === 0, "the hub to see the close");
});

Deno.test("the hub answers only the first hello of a subscriber", async () => {
  await using standIn = startAuthStandIn();
  const credential = await mintServiceCredential(SECRET, "eager");
  const subscriber = await rawSubscriber(standIn.url, { type: "hello", credential }, {
    ack: true,
  });
  subscriber.socket.send(JSON.stringify({ type: "hello", credential }));
  subscriber.socket.send(JSON.stringify({ type: "hello", credential: "forged" }));
  await waitFor(() => standIn.hub.subscribers === 1, "ready");
  await standIn.hub.publish(["s-1"]);
  deepEqual(subscriber.messages, [
    { type: "ready" },
    { type: "revoked", seq: 1, sessions: ["s-1"] },
  ]);
  equal(standIn.hub.subscribers, 1);
  subscriber.socket.close();
  await subscriber.closed;
  await waitFor(() => standIn.hub.subscribers === 0, "the hub to see the close");
});

Deno.test("the hub refuses a subscriber without a valid credential", async (t) => {
  const cases: [string, () => Promise<unknown>][] = [
    ["another workspace's", async () => ({
      type: "hello",
      credential: await mintServiceCredential(OTHER_SECRET, "intruder"),
    })],
    ["expired", async () => ({
      type: "hello",
      credential: await mintServiceCredential(SECRET, "late", -1),
    })],
    ["not a string", () => Promise.resolve({ type: "hello", credential: 42 })],
    ["none", () => Promise.resolve({ type: "hello" })],
  ];
  await using standIn = startAuthStandIn();
  for (const [name, hello] of cases) {
    await t.step(name, async () => {
      const subscriber = await rawSubscriber(standIn.url, await hello());
      equal(await closeCode(subscriber), FEED_CLOSE_UNAUTHORIZED);
      deepEqual(subscriber.messages, []);
      equal(standIn.hub.subscribers, 0);
    });
  }
  await t.step("no hello in time", async () => {
    await using quiet = startAuthStandIn({}, { helloTimeoutMs: 50 });
    const subscriber = await rawSubscriber(quiet.url, undefined);
    equal(await closeCode(subscriber), FEED_CLOSE_UNAUTHORIZED);
  });
  await t.step("a hub without a secret refuses every credential", async () => {
    await using open = startAuthStandIn({}, { serviceSecret: undefined });
    const credential = await mintServiceCredential(SECRET, "anyone");
    const subscriber = await rawSubscriber(open.url, { type: "hello", credential });
    equal(await closeCode(subscriber), FEED_CLOSE_UNAUTHORIZED);
  });
});

Deno.test("the hub answers 426 to a request that is not a WebSocket upgrade", async () => {
  const hub = createRevocationHub({ serviceSecret: SECRET });
  const response = hub.accept(new Request(`http://auth.test${REVOCATION_FEED_PATH}`));
  equal(response.status, 426);
  await response.body?.cancel();
  await hub.publish(["nobody-listens"]);
  await hub.publish([]);
  equal(hub.subscribers, 0);
});

// ---------------------------------------------------------------------------
// Mounts

Deno.test("mounts follow the service's defaultAccess unless they say otherwise", async (t) => {
  await using standIn = startAuthStandIn({ alice: sessionOf("alice") });
  const reached: string[] = [];
  const mount = (prefix: string, access?: "public" | "writes" | "all"): ServiceMount => ({
    prefix,
    ...(access === undefined ? {} : { access }),
    fetch: (request) => {
      reached.push(`${request.method} ${new URL(request.url).pathname}`);
      return Promise.resolve(Response.json({ mounted: true }));
    },
  });
  const mounts = [mount("/hooks/", "public"), mount("/v1/stream/"), mount("/private/", "all")];
  const { guard } = guardFor(standIn);
  const service = notesService({ guard, defaultAccess: "writes", mounts });

  await t.step("public: a POST without a cookie passes", async () => {
    equal((await call(service, "POST", "/hooks/github")).status, 200);
    deepEqual(reached.splice(0), ["POST /hooks/github"]);
  });
  await t.step("the default (writes): a GET passes, a POST is 401", async () => {
    equal((await call(service, "GET", "/v1/stream/a")).status, 200);
    equal((await call(service, "OPTIONS", "/v1/stream/a")).status, 200, "a CORS preflight");
    const refused = await call(service, "POST", "/v1/stream/a");
    equal(refused.status, 401);
    deepEqual(
      [refused.body["code"], refused.body["defined"], refused.body["status"]],
      ["UNAUTHORIZED", false, 401],
    );
    deepEqual(reached.splice(0), ["GET /v1/stream/a", "OPTIONS /v1/stream/a"]);
    equal((await call(service, "POST", "/v1/stream/a", { cookie: cookieOf("alice") })).status, 200);
    deepEqual(reached.splice(0), ["POST /v1/stream/a"]);
  });
  await t.step(
    "a page on another site cannot write through a guarded mount with the cookie",
    async () => {
      const crossSite = await call(service, "POST", "/v1/stream/a", {
        cookie: cookieOf("alice"),
        headers: { "sec-fetch-site": "cross-site" },
      });
      equal(crossSite.status, 403);
      equal(crossSite.body["code"], "FORBIDDEN");
      const publicHook = await call(service, "POST", "/hooks/github", {
        headers: { "sec-fetch-site": "cross-site" },
      });
      equal(publicHook.status, 200, "a public mount keeps its own origin policy");
      deepEqual(reached.splice(0), ["POST /hooks/github"]);
    },
  );
  await t.step("all: a GET needs a caller too", async () => {
    equal((await call(service, "GET", "/private/x")).status, 401);
    equal((await call(service, "GET", "/private/x", { cookie: cookieOf("mallory") })).status, 401);
    equal((await call(service, "GET", "/private/x", { cookie: cookieOf("alice") })).status, 200);
    deepEqual(reached.splice(0), ["GET /private/x"]);
  });
  await t.step("without a guard, mounts are open", async () => {
    const open = notesService({ guard: null, defaultAccess: "all", mounts });
    equal((await call(open, "POST", "/private/x")).status, 200);
    equal((await call(open, "POST", "/v1/stream/x")).status, 200);
    reached.splice(0);
  });
  guard.close();
});

// ---------------------------------------------------------------------------
// The OpenAPI document

type Operations = Record<string, Record<string, Record<string, unknown>>>;

Deno.test("the OpenAPI document of a guarded service says what each operation requires", async (t) => {
  const guard = createGuard({ authUrl: "http://auth.test" });
  const document = await notesService({ guard, defaultAccess: "writes" }).openapi();
  const paths = document.paths as Operations;
  const session = [{ session: [] }, { serviceCredential: [] }];
  await t.step("a read by default needs nothing", () => {
    equal(paths["/notes"]!["get"]!["security"], undefined);
  });
  await t.step("a write by default needs a session or a service credential", () => {
    deepEqual(paths["/notes"]!["post"]!["security"], session);
  });
  await t.step("declared access, with its roles and scopes", () => {
    deepEqual(paths["/notes"]!["delete"]!["security"], [
      { session: ["admin", "editor"] },
      { serviceCredential: [] },
    ]);
    deepEqual(paths["/notes/export"]!["get"]!["security"], [
      { session: ["notes:export"] },
      { serviceCredential: [] },
    ]);
    deepEqual(paths["/whoami"]!["get"]!["security"], session);
  });
  await t.step("a declared public operation needs nothing", () => {
    deepEqual(paths["/ping"]!["post"]!["security"], []);
  });
  await t.step("the schemes are described", () => {
    const schemes = (document["components"] as Record<string, Record<string, unknown>>)
      .securitySchemes as Record<string, Record<string, unknown>>;
    deepEqual(
      [schemes["session"]?.["type"], schemes["session"]?.["in"]],
      ["apiKey", "cookie"],
    );
    deepEqual(
      [schemes["serviceCredential"]?.["type"], schemes["serviceCredential"]?.["scheme"]],
      ["http", "bearer"],
    );
  });
  await t.step("defaultAccess all puts reads under the guard too", async () => {
    const all = await notesService({ guard, defaultAccess: "all" }).openapi();
    deepEqual((all.paths as Operations)["/notes"]!["get"]!["security"], session);
  });
});

/** A service whose contract declares no access and no errors (plain oRPC, not baseContract). */
function thingsService(guard: Guard | null, defaultAccess: "public" | "writes" | "all") {
  const contract = {
    list: oc.route({ method: "GET", path: "/things" }).output(z.array(z.string())),
    add: oc
      .route({ method: "POST", path: "/things" })
      .input(z.object({ name: z.string() }))
      .output(z.object({ name: z.string() })),
  };
  const os = implement(contract);
  return createService({
    name: "things",
    contract,
    router: os.router({
      list: os.list.handler(() => []),
      add: os.add.handler(({ input }) => input),
    }),
    guard,
    defaultAccess,
    logRequests: false,
  });
}

Deno.test("the OpenAPI document of an unguarded service without declarations has no security", async () => {
  const document = await thingsService(null, "all").openapi();
  const text = JSON.stringify(document);
  ok(!text.includes("serviceCredential"));
  ok(!text.includes('"session"'));
  equal(
    (document["components"] as Record<string, unknown> | undefined)?.["securitySchemes"],
    undefined,
  );
  const paths = document.paths as Operations;
  for (const method of ["get", "post"]) {
    equal(paths["/things"]![method]!["security"], undefined);
    const responses = paths["/things"]![method]!["responses"] as Record<string, unknown>;
    equal(responses["401"], undefined);
    equal(responses["403"], undefined);
  }
  deepEqual(document["security"], []);
});

Deno.test("a guarded service documents the 401 and 403 of the operations it guards", async () => {
  const guard = createGuard({ authUrl: "http://auth.test" });
  const document = await thingsService(guard, "writes").openapi();
  const paths = document.paths as Operations;
  const post = paths["/things"]!["post"]!;
  deepEqual(post["security"], [{ session: [] }, { serviceCredential: [] }]);
  const responses = post["responses"] as Record<string, { content: unknown }>;
  const codeOf = (status: string) =>
    (responses[status]?.content as {
      "application/json": { schema: { properties: { code: { const: string } } } };
    })["application/json"].schema.properties.code.const;
  equal(codeOf("401"), "UNAUTHORIZED");
  equal(codeOf("403"), "FORBIDDEN");
  const get = paths["/things"]!["get"]!;
  equal(get["security"], undefined);
  equal((get["responses"] as Record<string, unknown>)["401"], undefined);
});

Deno.test("an unguarded service documents the access its contract declares", async () => {
  const document = await notesService({ guard: null }).openapi();
  const paths = document.paths as Operations;
  deepEqual(paths["/whoami"]!["get"]!["security"], [{ session: [] }, { serviceCredential: [] }]);
  equal(paths["/notes"]!["post"]!["security"], undefined);
  ok((document["components"] as { securitySchemes?: unknown }).securitySchemes !== undefined);
});

// ---------------------------------------------------------------------------
// Over a real port, and from the environment

Deno.test("a served guarded service enforces access and closes its guard on shutdown", async () => {
  await using standIn = startAuthStandIn({ alice: sessionOf("alice") });
  const { logger } = captureLogger("notes");
  const { guard } = guardFor(standIn, { serviceSecret: SECRET });
  const running = notesService({ guard, defaultAccess: "writes", logger }).serve({
    port: 0,
    hostname: "127.0.0.1",
    handleSignals: false,
  });
  const over = {
    fetch: (request: Request) =>
      fetch(new URL(new URL(request.url).pathname, running.url), request),
  };
  equal((await call(over, "POST", "/api/notes", { body: { text: "x" } })).status, 401);
  const answer = await call(over, "POST", "/api/notes", {
    cookie: cookieOf("alice"),
    body: { text: "x" },
  });
  deepEqual([answer.status, answer.body["by"]], [200, "user:alice:s-alice"]);
  await waitFor(() => standIn.hub.subscribers === 1, "the guard to subscribe");
  await running.shutdown();
  await waitFor(() => standIn.hub.subscribers === 0, "the guard to close its subscription");
  await delay(20);
});

Deno.test("guardFromEnvironment() makes a guard when the workspace has auth-api", async (t) => {
  await using standIn = startAuthStandIn({ alice: sessionOf("alice") });
  const { logger } = captureLogger("guard");
  const environment = (values: Record<string, string>) => (name: string) => values[name];
  await t.step("none without the auth-api discovery variable", () => {
    equal(guardFromEnvironment({ env: environment({}), logger }), undefined);
    equal(
      guardFromEnvironment({ env: environment({ "services__auth-api__http__0": "" }), logger }),
      undefined,
    );
  });
  await t.step("over the http address", async () => {
    const guard = guardFromEnvironment({
      env: environment({ "services__auth-api__http__0": standIn.url }),
      logger,
    })!;
    equal((await guard.authenticate(new Headers({ cookie: cookieOf("alice") })))?.kind, "user");
    guard.close();
  });
  await t.step("the https address first", async () => {
    const guard = guardFromEnvironment({
      env: environment({
        "services__auth-api__https__0": standIn.url,
        "services__auth-api__http__0": await deadUrl(),
      }),
      logger,
    })!;
    equal((await guard.authenticate(new Headers({ cookie: cookieOf("alice") })))?.kind, "user");
    guard.close();
  });
  await t.step("with the workspace's secret, accepting service credentials", async () => {
    const guard = guardFromEnvironment({
      env: environment({
        "services__auth-api__http__0": standIn.url,
        NETSCRIPT_SERVICE_SECRET: "the-workspace-service-secret-for-guard-tests",
        OTEL_SERVICE_NAME: "notes-api",
      }),
      logger,
    })!;
    const before = standIn.asked.length;
    const bearer = `Bearer ${await mintServiceCredential(SECRET, "workers-api")}`;
    const principal = await guard.authenticate(new Headers({ authorization: bearer }));
    deepEqual(principal?.kind === "service" && principal.service, "workers-api");
    equal(standIn.asked.length, before);
    guard.close();
  });
  await t.step("a short secret is refused", () => {
    let caught: unknown;
    try {
      guardFromEnvironment({
        env: environment({
          "services__auth-api__http__0": standIn.url,
          NETSCRIPT_SERVICE_SECRET: "short",
        }),
        logger,
      });
    } catch (error) {
      caught = error;
    }
    ok(isNetScriptError(caught) && caught.code === "SERVICE_SECRET_INVALID");
  });
});

Deno.test("requests that carry the same unchecked session wait for one check with auth-api", async () => {
  await using standIn = startAuthStandIn({ alice: sessionOf("alice") });
  const { guard } = guardFor(standIn);
  const headers = new Headers({ cookie: cookieOf("alice") });
  const principals = await Promise.all(
    Array.from({ length: 10 }, () => guard.authenticate(headers)),
  );
  equal(standIn.asked.length, 1);
  for (const principal of principals) equal(principal?.kind, "user");
  equal(await guard.authenticate(new Headers({ cookie: cookieOf("bob") })), null);
  equal(standIn.asked.length, 2, "another session is checked on its own");
  guard.close();
});

Deno.test("a route declared services: false refuses a service credential 403 and takes a user", async () => {
  await using standIn = startAuthStandIn({ alice: sessionOf("alice") });
  const { guard } = guardFor(standIn, { serviceSecret: SECRET });
  const contract = {
    wipe: baseContract
      .route({ method: "POST", path: "/wipe", spec: access.session({ services: false }) })
      .output(z.object({ by: z.string() })),
  };
  const os = implement(contract).$context<ServiceContext>();
  const service = createService({
    name: "wiper",
    contract,
    router: os.router({ wipe: os.wipe.handler(({ context }) => ({ by: callerOf(context) })) }),
    guard,
    logger: captureLogger("wiper").logger,
  });
  const credential = `Bearer ${await mintServiceCredential(SECRET, "trigger-processor")}`;
  const refused = await call(service, "POST", "/api/wipe", { authorization: credential });
  equal(refused.status, 403);
  equal(refused.body["code"], "FORBIDDEN");
  const taken = await call(service, "POST", "/api/wipe", { cookie: cookieOf("alice") });
  equal(taken.status, 200);
  guard.close();
});
