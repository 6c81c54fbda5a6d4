/**
 * A guarded service over the real `auth-api` (kv-oauth backend, a real
 * OpenID Connect issuer): sessions signed in through the issuer are
 * accepted, kept in memory while the revocation feed is connected, and
 * refused on the very next request once signed out or revoked; workspace
 * processes get in with the service credential `@netscript/sdk` sends.
 *
 * @module
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { access, baseContract } from "@netscript/contracts";
import { serviceSecretKey } from "@netscript/contracts/credential";
import { createKvOAuthBackend } from "@netscript/auth-kv-oauth";
import { defineServices } from "@netscript/sdk";
import { createGuard, createService, implement, type ServiceContext } from "@netscript/service";
import { createLogger } from "@netscript/telemetry";
import { z } from "zod";
import { CookieJar, signInAtProvider } from "../../../auth-kv-oauth/testdata/headless_browser.ts";
import { startOidcIssuer } from "../../../auth-kv-oauth/testdata/start_oidc_issuer.ts";
import { createAuthService } from "./auth_service.ts";

const ORIGIN = "http://127.0.0.1:8094";
const CLIENT = { clientId: "netscript-guarded", clientSecret: "guarded-test-secret" };
const SECRET = "a-test-secret-of-at-least-32-characters";
const SERVICE_SECRET = "the-workspace-service-secret-for-this-test";

const lines: string[] = [];
const logger = createLogger({ service: "test", level: "debug", sink: (l) => lines.push(l) });

const notesContract = {
  list: baseContract.route({ method: "GET", path: "/notes" }).output(z.array(z.string())),
  create: baseContract
    .route({ method: "POST", path: "/notes" })
    .input(z.object({ text: z.string() }))
    .output(z.object({ text: z.string(), by: z.string() })),
  purge: baseContract
    .route({ method: "DELETE", path: "/notes", spec: access.session({ roles: ["admin"] }) })
    .output(z.object({ purged: z.boolean() })),
};

function notesService(guard: ReturnType<typeof createGuard>) {
  const os = implement(notesContract).$context<ServiceContext>();
  const by = (context: ServiceContext) =>
    context.principal?.kind === "user"
      ? `user:${context.principal.user.id}`
      : `service:${context.principal?.service}`;
  return createService({
    name: "notes",
    contract: notesContract,
    router: os.router({
      list: os.list.handler(() => ["a note"]),
      create: os.create.handler(({ input, context }) => ({ text: input.text, by: by(context) })),
      purge: os.purge.handler(() => ({ purged: true })),
    }),
    guard,
    defaultAccess: "writes",
    logger,
  });
}

/** A browser of `auth-api`, in process, with its cookies. */
class Browser {
  readonly jar = new CookieJar();
  constructor(readonly fetch: (request: Request) => Promise<Response>) {}

  async call(method: string, path: string) {
    const url = new URL(path, ORIGIN);
    const cookie = this.jar.header(url);
    const response = await this.fetch(
      new Request(url, { method, headers: cookie === "" ? {} : { cookie } }),
    );
    this.jar.store(url, response);
    const text = await response.text();
    return { status: response.status, body: text === "" ? null : JSON.parse(text) };
  }

  async signIn(login: string): Promise<void> {
    const started = await this.fetch(new Request(`${ORIGIN}/auth/signin?redirectTo=/`));
    this.jar.store(new URL(ORIGIN), started);
    const back = await signInAtProvider(this.jar, started.headers.get("location")!, login);
    await this.call("GET", back.pathname + back.search);
  }

  get cookie(): string {
    return this.jar.header(new URL(ORIGIN));
  }
}

Deno.test("a guarded service takes auth-api's sessions and refuses an ended one on the next request", async (t) => {
  const issuer = await startOidcIssuer({ ...CLIENT, redirectUris: [`${ORIGIN}/auth/callback`] });
  const kv = await Deno.openKv(":memory:");
  const backend = await createKvOAuthBackend({
    issuer: issuer.issuer,
    ...CLIENT,
    secret: SECRET,
    kv,
    logger,
  });
  const key = serviceSecretKey(SERVICE_SECRET);
  const auth = createAuthService({ backend, logger, serviceSecret: key });
  const authApi = auth.serve({ port: 0, handleSignals: false });
  let sessionChecks = 0;
  const guard = createGuard({
    authUrl: `http://127.0.0.1:${authApi.port}`,
    serviceSecret: key,
    subject: "notes",
    logger,
    fetch: (request) => {
      sessionChecks++;
      return fetch(request);
    },
  });
  const notes = notesService(guard);
  const served = notes.serve({ port: 0, handleSignals: false });
  const base = `http://127.0.0.1:${served.port}`;
  const call = async (method: string, path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { "content-type": "application/json", ...headers },
      ...(method === "POST" ? { body: JSON.stringify({ text: "hi" }) } : {}),
    });
    return { status: response.status, body: await response.json() };
  };
  const inProcess = (request: Request) => auth.fetch(request);
  try {
    const alice = new Browser(inProcess);
    await alice.signIn("alice");

    await t.step("reads stay public; a write needs a session", async () => {
      equal((await call("GET", "/api/notes")).status, 200);
      const refused = await call("POST", "/api/notes");
      equal(refused.status, 401);
      equal(refused.body.code, "UNAUTHORIZED");
      const forged = await call("POST", "/api/notes", { cookie: "netscript-session=forged" });
      equal(forged.status, 401);
    });

    await t.step(
      "a signed-in user writes, known to the handler; a role is required where declared",
      async () => {
        const created = await call("POST", "/api/notes", { cookie: alice.cookie });
        equal(created.status, 200, JSON.stringify(created.body));
        equal(created.body.by, "user:alice");
        equal(
          (await call("DELETE", "/api/notes", { cookie: alice.cookie })).status,
          200,
          "an admin",
        );
        const dave = new Browser(inProcess);
        await dave.signIn("dave");
        const refused = await call("DELETE", "/api/notes", { cookie: dave.cookie });
        equal(refused.status, 403, "dave has no admin role");
        equal(refused.body.code, "FORBIDDEN");
      },
    );

    await t.step(
      "with the revocation feed connected, a repeated session costs no check",
      async () => {
        for (let i = 0; i < 500 && auth.revocations.subscribers === 0; i++) {
          await new Promise((r) => setTimeout(r, 10));
        }
        equal(auth.revocations.subscribers, 1, "the guard subscribed to the revocation feed");
        equal((await call("POST", "/api/notes", { cookie: alice.cookie })).status, 200);
        const before = sessionChecks;
        for (let i = 0; i < 5; i++) {
          equal((await call("POST", "/api/notes", { cookie: alice.cookie })).status, 200);
        }
        equal(sessionChecks, before);
      },
    );

    await t.step("a signed-out session is refused by the next request", async () => {
      const cookie = alice.cookie;
      equal((await alice.call("POST", "/auth/signout")).status, 302);
      const after = await call("POST", "/api/notes", { cookie });
      equal(after.status, 401, "the guard still took a signed-out session");
    });

    await t.step("a session revoked from another one is refused by the next request", async () => {
      const phone = new Browser(inProcess);
      const laptop = new Browser(inProcess);
      await phone.signIn("carol");
      await laptop.signIn("carol");
      equal((await call("POST", "/api/notes", { cookie: phone.cookie })).status, 200);
      equal((await call("POST", "/api/notes", { cookie: phone.cookie })).status, 200);
      const phoneSession = (await phone.call("GET", "/api/session")).body.id;
      const revoked = await laptop.call("DELETE", `/api/sessions/${phoneSession}`);
      deepEqual(revoked.body, { id: phoneSession, revoked: true });
      equal((await call("POST", "/api/notes", { cookie: phone.cookie })).status, 401);
      equal((await call("POST", "/api/notes", { cookie: laptop.cookie })).status, 200);
    });

    await t.step(
      "a new sign-in in the same browser ends its previous session everywhere",
      async () => {
        const browser = new Browser(inProcess);
        await browser.signIn("erin");
        const before = browser.cookie;
        equal((await call("POST", "/api/notes", { cookie: before })).status, 200);
        equal((await call("POST", "/api/notes", { cookie: before })).status, 200);
        await browser.signIn("erin");
        ok(browser.cookie !== before, "a sign-in makes a new session");
        equal((await call("POST", "/api/notes", { cookie: before })).status, 401);
        equal((await call("POST", "/api/notes", { cookie: browser.cookie })).status, 200);
      },
    );

    await t.step(
      "a workspace process gets in with the service credential the sdk sends",
      async () => {
        const variables: Record<string, string> = {
          NETSCRIPT_SERVICE_SECRET: SERVICE_SECRET,
          OTEL_SERVICE_NAME: "trigger-processor",
          services__notes__http__0: base,
        };
        const { clients } = defineServices({ notes: { contract: notesContract } }, {
          env: (name) => variables[name],
        });
        const created = await clients.notes.create({ text: "from a job" });
        equal(created.by, "service:trigger-processor");
        const outsider = defineServices({ notes: { contract: notesContract, url: base } });
        const refused = await outsider.clients.notes.create({ text: "no credential" }).then(
          () => "accepted",
          (error) => error.status,
        );
        equal(refused, 401);
      },
    );

    await t.step("no cookie, credential or secret reaches a log line", () => {
      const text = lines.join("\n");
      ok(!text.includes(SERVICE_SECRET));
      ok(!text.includes(SECRET));
      ok(!/netscript-session=[^;\s"]{8,}/.test(text), "a session cookie was logged");
      ok(!/eyJ[\w-]+\.[\w-]+\./.test(text), "a token was logged");
    });
  } finally {
    guard.close();
    await served.shutdown();
    auth.revocations.close();
    await authApi.shutdown();
    await backend.close();
    kv.close();
    await issuer.close();
  }
});
