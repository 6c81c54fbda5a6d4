import { deepEqual, equal, notEqual, ok, rejects, throws } from "node:assert/strict";
import { base64url, SignJWT } from "jose";
import { isNetScriptError } from "./mod.ts";
import {
  mintServiceCredential,
  SERVICE_CREDENTIAL_TTL_SECONDS,
  SERVICE_SECRET_VARIABLE,
  serviceSecretKey,
  verifyServiceCredential,
  withServiceCredential,
  workspaceServiceOrigins,
} from "./service_credential.ts";

const SECRET = "a-workspace-secret-of-at-least-32-characters";
const KEY = serviceSecretKey(SECRET)!;
const OTHER_KEY = serviceSecretKey("another-workspace-secret-of-32-characters!")!;

/** A token signed with `key` and `alg`, with the claims a credential has unless overridden. */
async function craft(
  options: {
    alg?: string;
    key?: CryptoKey | Uint8Array;
    issuer?: string | undefined;
    audience?: string | undefined;
    subject?: string | undefined;
    expiresInSeconds?: number | undefined;
  } = {},
): Promise<string> {
  const claims = {
    issuer: "netscript",
    audience: "netscript-services",
    subject: "tests",
    ...options,
  };
  let jwt = new SignJWT({}).setProtectedHeader({ alg: options.alg ?? "HS256" }).setIssuedAt();
  if (claims.issuer !== undefined) jwt = jwt.setIssuer(claims.issuer);
  if (claims.audience !== undefined) jwt = jwt.setAudience(claims.audience);
  if (claims.subject !== undefined) jwt = jwt.setSubject(claims.subject);
  if (!("expiresInSeconds" in options) || options.expiresInSeconds !== undefined) {
    jwt = jwt.setExpirationTime(
      Math.floor(Date.now() / 1_000) + (options.expiresInSeconds ?? 60),
    );
  }
  return await jwt.sign(options.key ?? KEY);
}

Deno.test("serviceSecretKey() reads the secret", async (t) => {
  await t.step("unset or empty is no key", () => {
    equal(serviceSecretKey(undefined), undefined);
    equal(serviceSecretKey(""), undefined);
  });
  await t.step("32 characters or more is the key, as UTF-8 bytes", () => {
    deepEqual(serviceSecretKey("x".repeat(32)), new TextEncoder().encode("x".repeat(32)));
    deepEqual(serviceSecretKey(SECRET), new TextEncoder().encode(SECRET));
  });
  await t.step("shorter is SERVICE_SECRET_INVALID, without the value", () => {
    const short = "hunter2-is-not-long-enough-31ch";
    equal(short.length, 31);
    throws(
      () => serviceSecretKey(short),
      (error) => {
        ok(isNetScriptError(error));
        equal(error.code, "SERVICE_SECRET_INVALID");
        ok(error.message.includes(SERVICE_SECRET_VARIABLE));
        ok(error.message.includes("32"));
        ok(!error.message.includes(short), "the message must not carry the secret");
        ok(!JSON.stringify(error.toJSON()).includes(short), "nor its JSON");
        ok(!JSON.stringify(error.toJSON()).includes("hunter2"));
        return true;
      },
    );
  });
});

Deno.test("a minted credential verifies with the same secret", async () => {
  const before = Math.floor(Date.now() / 1_000);
  const token = await mintServiceCredential(KEY, "trigger-processor");
  const claims = await verifyServiceCredential(KEY, token);
  equal(claims?.subject, "trigger-processor");
  const expires = claims!.expiresAt.getTime() / 1_000;
  ok(expires >= before + SERVICE_CREDENTIAL_TTL_SECONDS);
  ok(expires <= Math.floor(Date.now() / 1_000) + SERVICE_CREDENTIAL_TTL_SECONDS);
  const [header] = token.split(".");
  deepEqual(JSON.parse(new TextDecoder().decode(base64url.decode(header!))), {
    alg: "HS256",
    typ: "JWT",
  });
});

Deno.test("a crafted credential with the right claims verifies, so the refusals below are real", async () => {
  equal((await verifyServiceCredential(KEY, await craft()))?.subject, "tests");
});

Deno.test("verifyServiceCredential() refuses what is not a credential of this workspace", async (t) => {
  const { privateKey } = await crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  );
  const cases: [string, () => Promise<string>][] = [
    ["signed with another secret", () => mintServiceCredential(OTHER_KEY, "intruder")],
    ["expired", () => mintServiceCredential(KEY, "late", -1)],
    ["another audience", () => craft({ audience: "somebody-else" })],
    ["another issuer", () => craft({ issuer: "not-netscript" })],
    ["no audience", () => craft({ audience: undefined })],
    ["no subject", () => craft({ subject: undefined })],
    ["no expiry", () => craft({ expiresInSeconds: undefined })],
    ["HS384 with the same secret", () => craft({ alg: "HS384" })],
    ["RS256", () => craft({ alg: "RS256", key: privateKey })],
    ["alg none", () => {
      const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
      const now = Math.floor(Date.now() / 1_000);
      const payload = {
        iss: "netscript",
        aud: "netscript-services",
        sub: "unsigned",
        iat: now,
        exp: now + 60,
      };
      return Promise.resolve(`${encode({ alg: "none", typ: "JWT" })}.${encode(payload)}.`);
    }],
    ["a changed subject", async () => {
      const [header, , signature] = (await mintServiceCredential(KEY, "workers")).split(".");
      const now = Math.floor(Date.now() / 1_000);
      const payload = base64url.encode(JSON.stringify({
        iss: "netscript",
        aud: "netscript-services",
        sub: "admin",
        iat: now,
        exp: now + 60,
      }));
      return `${header}.${payload}.${signature}`;
    }],
    ["not a JWT", () => Promise.resolve("not-a-token")],
    ["empty", () => Promise.resolve("")],
  ];
  for (const [name, token] of cases) {
    await t.step(name, async () => equal(await verifyServiceCredential(KEY, await token()), null));
  }
});

/** A fetch that records what it was asked and answers 204. */
function recordingFetch() {
  const requests: Request[] = [];
  const send = (request: Request) => {
    requests.push(request);
    return Promise.resolve(new Response(null, { status: 204 }));
  };
  return { requests, send };
}

/** Reads variables from a record, and lists its names. */
function variables(values: Record<string, string>) {
  return {
    env: (name: string) => values[name],
    envNames: () => Object.keys(values),
  };
}

const WORKSPACE = {
  [SERVICE_SECRET_VARIABLE]: SECRET,
  OTEL_SERVICE_NAME: "trigger-processor",
  "services__workers-api__http__0": "http://localhost:8091",
  "services__streams-api__https__0": "https://streams.internal:8443/",
};

Deno.test("withServiceCredential() sends a credential to the workspace's services only", async (t) => {
  const { requests, send } = recordingFetch();
  const wrapped = withServiceCredential(send, variables(WORKSPACE));
  await t.step("to an http service origin", async () => {
    await wrapped(new Request("http://localhost:8091/api/jobs"));
    const authorization = requests.at(-1)!.headers.get("authorization");
    ok(authorization?.startsWith("Bearer "));
    const claims = await verifyServiceCredential(KEY, authorization!.slice("Bearer ".length));
    equal(claims?.subject, "trigger-processor");
  });
  await t.step("to an https service origin", async () => {
    await wrapped(new Request("https://streams.internal:8443/v1/stream/x"));
    ok(requests.at(-1)!.headers.get("authorization")?.startsWith("Bearer "));
  });
  await t.step("not to another host", async () => {
    await wrapped(new Request("https://example.com/api/jobs"));
    equal(requests.at(-1)!.headers.get("authorization"), null);
  });
  await t.step("not to another port of the same host", async () => {
    await wrapped(new Request("http://localhost:8092/api/jobs"));
    equal(requests.at(-1)!.headers.get("authorization"), null);
  });
  await t.step("not to another scheme of the same host", async () => {
    await wrapped(new Request("https://localhost:8091/api/jobs"));
    equal(requests.at(-1)!.headers.get("authorization"), null);
  });
  await t.step("not over an authorization the request already has", async () => {
    await wrapped(
      new Request("http://localhost:8091/api/jobs", { headers: { authorization: "Bearer mine" } }),
    );
    equal(requests.at(-1)!.headers.get("authorization"), "Bearer mine");
  });
  await t.step("keeping the method, body and other headers", async () => {
    await wrapped(
      new Request("http://localhost:8091/api/jobs", {
        method: "POST",
        headers: { "content-type": "application/json", "x-request": "1" },
        body: JSON.stringify({ name: "email" }),
      }),
    );
    const sent = requests.at(-1)!;
    equal(sent.method, "POST");
    equal(sent.headers.get("x-request"), "1");
    equal(sent.headers.get("content-type"), "application/json");
    deepEqual(await sent.json(), { name: "email" });
    ok(sent.headers.has("authorization"));
  });
});

Deno.test("withServiceCredential() sends a credential to an origin trusts() names", async () => {
  const { requests, send } = recordingFetch();
  const asked: string[] = [];
  const wrapped = withServiceCredential(send, {
    ...variables(WORKSPACE),
    trusts: (origin) => {
      asked.push(origin);
      return origin === "http://workers.internal:9000";
    },
  });
  await wrapped(new Request("http://workers.internal:9000/api/jobs"));
  ok(requests.at(-1)!.headers.get("authorization")?.startsWith("Bearer "));
  await wrapped(new Request("http://other.internal:9000/api/jobs"));
  equal(requests.at(-1)!.headers.get("authorization"), null);
  deepEqual(asked, ["http://workers.internal:9000", "http://other.internal:9000"]);
});

Deno.test("withServiceCredential() names the process 'netscript' without OTEL_SERVICE_NAME", async () => {
  const { requests, send } = recordingFetch();
  const { OTEL_SERVICE_NAME: _, ...withoutName } = WORKSPACE;
  await withServiceCredential(send, variables(withoutName))(
    new Request("http://localhost:8091/api/jobs"),
  );
  const token = requests[0]!.headers.get("authorization")!.slice("Bearer ".length);
  equal((await verifyServiceCredential(KEY, token))?.subject, "netscript");
});

Deno.test("withServiceCredential() sends nothing without a secret", async () => {
  const { requests, send } = recordingFetch();
  const { [SERVICE_SECRET_VARIABLE]: _, ...withoutSecret } = WORKSPACE;
  await withServiceCredential(send, variables(withoutSecret))(
    new Request("http://localhost:8091/api/jobs"),
  );
  equal(requests.length, 1);
  equal(requests[0]!.headers.get("authorization"), null);
});

Deno.test("withServiceCredential() refuses a short secret on its first call", async () => {
  const { requests, send } = recordingFetch();
  const wrapped = withServiceCredential(
    send,
    variables({ ...WORKSPACE, [SERVICE_SECRET_VARIABLE]: "too-short" }),
  );
  await rejects(
    () => wrapped(new Request("http://localhost:8091/api/jobs")),
    (error) => isNetScriptError(error) && error.code === "SERVICE_SECRET_INVALID",
  );
  equal(requests.length, 0);
});

Deno.test("withServiceCredential() reuses its credential and renews it after half its life", async () => {
  const { requests, send } = recordingFetch();
  const wrapped = withServiceCredential(send, variables(WORKSPACE));
  const token = () => requests.at(-1)!.headers.get("authorization");
  await wrapped(new Request("http://localhost:8091/a"));
  const first = token();
  await wrapped(new Request("http://localhost:8091/b"));
  equal(token(), first, "the same credential is reused");
  const realNow = Date.now;
  const start = realNow();
  try {
    Date.now = () => start + (SERVICE_CREDENTIAL_TTL_SECONDS / 2 - 5) * 1_000;
    await wrapped(new Request("http://localhost:8091/c"));
    equal(token(), first, "still reused before half its life");
    Date.now = () => start + (SERVICE_CREDENTIAL_TTL_SECONDS / 2 + 5) * 1_000;
    await wrapped(new Request("http://localhost:8091/d"));
  } finally {
    Date.now = realNow;
  }
  const renewed = token();
  notEqual(renewed, first, "renewed after half its life");
  equal(
    (await verifyServiceCredential(KEY, renewed!.slice("Bearer ".length)))?.subject,
    "trigger-processor",
  );
});

Deno.test("workspaceServiceOrigins() reads the service discovery variables", () => {
  const values: Record<string, string> = {
    "services__workers-api__http__0": "http://localhost:8091/some/path",
    "services__workers-api__http__1": "http://127.0.0.1:8091",
    "services__auth-api__https__0": "https://auth.internal",
    "services__db__tcp__0": "tcp://localhost:5432",
    "services__weird__http__0": "not a url",
    "services__ftp__http__0": "ftp://files.internal",
    "SERVICES__upper__http__0": "http://upper.internal",
    "services__nameless__http__": "http://nameless.internal",
    "WORKERS_API_HTTP": "http://elsewhere.internal",
    "services__unset__http__0": "",
  };
  const env = (name: string) => name === "services__missing__http__0" ? undefined : values[name];
  deepEqual(
    [...workspaceServiceOrigins(env, [...Object.keys(values), "services__missing__http__0"])]
      .sort(),
    ["http://127.0.0.1:8091", "http://localhost:8091", "https://auth.internal"],
  );
});
