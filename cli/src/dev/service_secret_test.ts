import { deepEqual, equal, notEqual, ok, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import type { ProcessResource, ResourceGraph } from "@netscript/plugin";
import { withServiceSecret } from "./service_secret.ts";

const process = (name: string): ProcessResource => ({
  name,
  kind: "service",
  entrypoint: `${name}.ts`,
  env: { PORT: "1" },
  permissions: {},
  flags: [],
  waitFor: [],
  passEnv: [],
});

const graph: ResourceGraph = {
  resources: [
    { name: "db", kind: "store", engine: "sqlite", embedded: true, file: ".netscript/data/app.db" },
    process("api"),
    process("workers-api"),
  ],
};

const secretsOf = (result: ResourceGraph) =>
  result.resources.flatMap((r) => r.kind === "store" ? [] : [r.env.NETSCRIPT_SERVICE_SECRET]);

Deno.test("withServiceSecret gives every process the same new secret of 64 hex characters", () => {
  const secrets = secretsOf(withServiceSecret(graph, undefined));
  deepEqual(secrets.length, 2);
  deepEqual(secrets[0], secrets[1]);
  ok(/^[0-9a-f]{64}$/.test(secrets[0]!));
  notEqual(secretsOf(withServiceSecret(graph, ""))[0], secrets[0]);
});

Deno.test("withServiceSecret keeps each process's own variables and leaves stores alone", () => {
  const result = withServiceSecret(graph, undefined);
  deepEqual(result.resources[0], graph.resources[0]);
  deepEqual((result.resources[1] as ProcessResource).env.PORT, "1");
});

Deno.test("withServiceSecret passes on the runner's secret", () => {
  const configured = "a-configured-secret-of-at-least-32-chars";
  deepEqual(secretsOf(withServiceSecret(graph, configured)), [configured, configured]);
});

Deno.test("withServiceSecret refuses a configured secret that is too short, without printing it", () => {
  throws(() => withServiceSecret(graph, "short-secret-value"), (error) => {
    ok(isNetScriptError(error));
    equal(error.code, "SERVICE_SECRET_INVALID");
    ok(!error.message.includes("short-secret-value"));
    return true;
  });
});
