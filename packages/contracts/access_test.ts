import { deepEqual, equal, notEqual, ok, throws } from "node:assert/strict";
import { OpenAPIGenerator } from "@orpc/openapi";
import { z } from "zod";
import { contractSchemaConverter } from "./json_schema.ts";
import {
  ACCESS,
  type Access,
  access,
  baseContract,
  declaredAccess,
  securityRequirements,
  SERVICE_CREDENTIAL_SCHEME,
  SESSION_SCHEME,
} from "./mod.ts";

Deno.test("access.public() declares public access", () => {
  const spec = access.public();
  equal(typeof spec, "function");
  deepEqual(declaredAccess(spec), { kind: "public" });
  deepEqual(spec[ACCESS], { kind: "public" });
});

Deno.test("access.session() declares a session with no roles or scopes by default", () => {
  deepEqual(declaredAccess(access.session()), {
    kind: "session",
    roles: [],
    scopes: [],
    services: true,
  });
  deepEqual(declaredAccess(access.session({})), {
    kind: "session",
    roles: [],
    scopes: [],
    services: true,
  });
});

Deno.test("access.session() keeps the roles and scopes it was given, frozen", () => {
  const roles = ["admin", "editor"];
  const scopes = ["notes:write"];
  const declared = declaredAccess(access.session({ roles, scopes }));
  deepEqual(declared, {
    kind: "session",
    roles: ["admin", "editor"],
    scopes: ["notes:write"],
    services: true,
  });
  roles.push("anyone");
  scopes.length = 0;
  deepEqual(declared, {
    kind: "session",
    roles: ["admin", "editor"],
    scopes: ["notes:write"],
    services: true,
  });
  ok(Object.isFrozen(declared));
  ok(declared?.kind === "session" && Object.isFrozen(declared.roles));
  ok(declared?.kind === "session" && Object.isFrozen(declared.scopes));
  throws(() => (declared as { roles: string[] }).roles.push("x"), TypeError);
});

Deno.test("declaredAccess() is undefined for a spec that declares nothing", async (t) => {
  const cases: [string, unknown][] = [
    ["no spec", undefined],
    ["null", null],
    ["an operation object", { security: [{ bearer: [] }] }],
    ["a transform of its own", (operation: Record<string, unknown>) => operation],
    ["a string", "public"],
  ];
  for (const [name, spec] of cases) {
    await t.step(name, () => equal(declaredAccess(spec), undefined));
  }
});

Deno.test("declaredAccess() finds the marker under the registered symbol", () => {
  const foreign = Object.assign(() => ({}), {
    [Symbol.for("netscript.access")]: { kind: "public" } satisfies Access,
  });
  deepEqual(declaredAccess(foreign), { kind: "public" });
});

Deno.test("securityRequirements() names both schemes for a session, none for public", async (t) => {
  await t.step("public", () => deepEqual(securityRequirements({ kind: "public" }), []));
  await t.step("any signed-in caller", () => {
    deepEqual(securityRequirements({ kind: "session", roles: [], scopes: [], services: true }), [
      { [SESSION_SCHEME]: [] },
      { [SERVICE_CREDENTIAL_SCHEME]: [] },
    ]);
  });
  await t.step("roles and scopes are listed with the session scheme", () => {
    deepEqual(
      securityRequirements({
        kind: "session",
        roles: ["admin"],
        scopes: ["notes:write"],
        services: true,
      }),
      [{ session: ["admin", "notes:write"] }, { serviceCredential: [] }],
    );
  });
  await t.step("each call returns arrays of its own", () => {
    const required: Access = { kind: "session", roles: ["admin"], scopes: [], services: true };
    const first = securityRequirements(required);
    first[0]!["session"]!.push("changed");
    deepEqual(securityRequirements(required)[0], { session: ["admin"] });
  });
});

Deno.test("an access spec adds security to the operation and keeps the rest", async (t) => {
  const operation = { operationId: "notes.remove", summary: "Remove a note", tags: ["notes"] };
  await t.step("session", () => {
    const amended = access.session({ roles: ["editor"] })(operation);
    deepEqual(amended, {
      ...operation,
      security: [{ session: ["editor"] }, { serviceCredential: [] }],
    });
    notEqual(amended, operation);
    equal("security" in operation, false);
  });
  await t.step("public replaces any security the operation had with none", () => {
    deepEqual(access.public()({ ...operation, security: [{ bearer: [] }] }).security, []);
  });
});

Deno.test("a declaration survives the contract builder", async (t) => {
  await t.step("in the route", () => {
    const procedure = baseContract.route({
      method: "DELETE",
      path: "/notes/{id}",
      spec: access.session({ roles: ["editor"] }),
    });
    deepEqual(declaredAccess(procedure["~orpc"].route.spec), {
      kind: "session",
      roles: ["editor"],
      scopes: [],
      services: true,
    });
  });
  await t.step("through a later .route() that sets other fields", () => {
    const procedure = baseContract
      .route({ spec: access.public() })
      .route({ method: "GET", path: "/notes" })
      .output(z.array(z.string()));
    deepEqual(declaredAccess(procedure["~orpc"].route.spec), { kind: "public" });
  });
});

Deno.test("an OpenAPI document made from the contract carries the declared security", async () => {
  const contract = {
    list: baseContract
      .route({ method: "GET", path: "/notes", spec: access.public() })
      .output(z.array(z.string())),
    remove: baseContract
      .route({
        method: "DELETE",
        path: "/notes/{id}",
        spec: access.session({ roles: ["editor"], scopes: ["notes:write"] }),
      })
      .input(z.object({ id: z.string() })),
    show: baseContract
      .route({ method: "GET", path: "/notes/{id}" })
      .input(z.object({ id: z.string() })),
  };
  const document = await new OpenAPIGenerator({ schemaConverters: [contractSchemaConverter] })
    .generate(contract, {
      info: { title: "notes", version: "1.0.0" },
    }) as unknown as { paths: Record<string, Record<string, Record<string, unknown>>> };
  const remove = document.paths["/notes/{id}"]!["delete"]!;
  deepEqual(remove["security"], [
    { session: ["editor", "notes:write"] },
    { serviceCredential: [] },
  ]);
  equal(remove["operationId"], "remove");
  ok(Array.isArray(remove["parameters"]), "the generated parameters are kept");
  deepEqual(document.paths["/notes"]!["get"]!["security"], []);
  equal(document.paths["/notes/{id}"]!["get"]!["security"], undefined);
});

Deno.test("access.session({ services: false }) keeps the route to signed-in users, in the document too", () => {
  const declared = declaredAccess(access.session({ roles: ["admin"], services: false }))!;
  deepEqual(declared, { kind: "session", roles: ["admin"], scopes: [], services: false });
  deepEqual(securityRequirements(declared), [{ session: ["admin"] }]);
});
