import { deepEqual, equal, throws } from "node:assert/strict";
import fc from "fast-check";
import { isNetScriptError } from "@netscript/contracts";
import { encodeEnvironmentName, resolveServiceUrl, serviceUrlVariables } from "./mod.ts";

const envOf = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("encodeEnvironmentName() follows Aspire's encoding", () => {
  equal(encodeEnvironmentName("users"), "USERS");
  equal(encodeEnvironmentName("workers-api"), "WORKERS_API");
  equal(encodeEnvironmentName("my.api v2"), "MY_API_V2");
  equal(encodeEnvironmentName("3d-render"), "_3D_RENDER");
});

Deno.test("encodeEnvironmentName() always yields a valid variable name", () => {
  fc.assert(
    fc.property(fc.string({ minLength: 1 }), (name) => {
      const encoded = encodeEnvironmentName(name);
      equal(/^[A-Z_][A-Z0-9_]*$/.test(encoded), true, `${name} → ${encoded}`);
    }),
  );
});

Deno.test("serviceUrlVariables() lists the discovery variables in lookup order", () => {
  deepEqual(serviceUrlVariables("workers-api"), [
    "services__workers-api__https__0",
    "services__workers-api__http__0",
    "WORKERS_API_HTTPS",
    "WORKERS_API_HTTP",
  ]);
});

Deno.test("resolveServiceUrl() prefers the explicit URL, then each variable in order", async (t) => {
  const all = {
    "services__users__https__0": "https://a.test",
    "services__users__http__0": "http://b.test",
    "USERS_HTTPS": "https://c.test",
    "USERS_HTTP": "http://d.test/",
  };
  await t.step("explicit url wins", () => {
    equal(
      resolveServiceUrl("users", { url: "http://explicit.test/", env: envOf(all) }),
      "http://explicit.test",
    );
  });
  const order = Object.keys(all) as (keyof typeof all)[];
  for (const [index, variable] of order.entries()) {
    await t.step(`${variable} when it is the first one set`, () => {
      const remaining = Object.fromEntries(order.slice(index).map((k) => [k, all[k]]));
      equal(
        resolveServiceUrl("users", { env: envOf(remaining) }),
        all[variable].replace(/\/$/, ""),
      );
    });
  }
  await t.step("an empty variable counts as unset", () => {
    equal(
      resolveServiceUrl("users", {
        env: envOf({ services__users__https__0: "", USERS_HTTP: "http://d.test" }),
      }),
      "http://d.test",
    );
  });
});

Deno.test("resolveServiceUrl() names the service and every variable when none is set", () => {
  throws(
    () => resolveServiceUrl("workers-api", { env: envOf({}) }),
    (error: unknown) => {
      equal(isNetScriptError(error, "SERVICE_URL_NOT_FOUND"), true);
      const message = (error as Error).message;
      for (const variable of serviceUrlVariables("workers-api")) {
        equal(message.includes(variable), true, `message names ${variable}`);
      }
      equal(message.includes('"workers-api"'), true);
      deepEqual((error as { details: unknown }).details, {
        service: "workers-api",
        variables: serviceUrlVariables("workers-api"),
      });
      return true;
    },
  );
});

Deno.test("resolveServiceUrl() rejects a value that is not an http(s) URL", () => {
  for (const value of ["localhost:8080", "ftp://x.test", "not a url"]) {
    throws(
      () => resolveServiceUrl("users", { env: envOf({ USERS_HTTP: value }) }),
      (error: unknown) => {
        equal(isNetScriptError(error, "SERVICE_URL_INVALID"), true);
        equal((error as Error).message.includes("USERS_HTTP"), true);
        return true;
      },
    );
  }
});
