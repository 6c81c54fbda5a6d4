import { deepEqual, equal, match } from "node:assert/strict";
import { join } from "node:path";
import type { ProcessResource } from "@netscript/plugin";
import { loadWorkspaceEnv } from "../env/workspace_env.ts";
import { findLauncher } from "./parent_death.ts";
import { spawnResource } from "./spawn_resource.ts";

function processor(fields: Partial<ProcessResource>): ProcessResource {
  return {
    name: "ticker",
    kind: "processor",
    entrypoint: "main.ts",
    env: {},
    permissions: {},
    flags: [],
    waitFor: [],
    passEnv: [],
    ...fields,
  };
}

/** Runs `resource` with `source` as its entrypoint in a temporary root; returns what it printed. */
async function run(
  resource: ProcessResource,
  source: string,
  env?: (name: string) => string | undefined,
) {
  const root = await Deno.makeTempDir({ prefix: "netscript-spawn-" });
  try {
    await Deno.writeTextFile(join(root, resource.entrypoint), source);
    const lines: [string, string][] = [];
    const { child, output } = spawnResource(resource, {
      root,
      launcher: await findLauncher(),
      onLine: (stream, text) => lines.push([stream, text]),
      ...(env ? { env } : {}),
    });
    const status = await child.status;
    await output;
    return { root: await Deno.realPath(root), status, lines };
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("spawnResource() runs the entrypoint in the root, passing on its lines", async () => {
  const { root, status, lines } = await run(
    processor({ flags: ["--allow-read"] }),
    `console.log(Deno.cwd());
console.log("stdin:", await Deno.stdin.read(new Uint8Array(1)));
console.error("to stderr");
await Deno.stdout.write(new TextEncoder().encode("first\\nlast without newline"));
Deno.exit(4);`,
  );
  equal(status.code, 4);
  deepEqual(lines.filter(([stream]) => stream === "stdout"), [
    ["stdout", root],
    ["stdout", "stdin: null"],
    ["stdout", "first"],
    ["stdout", "last without newline"],
  ]);
  deepEqual(lines.filter(([stream]) => stream === "stderr"), [["stderr", "to stderr"]]);
});

Deno.test("spawnResource() gives a process only the base, declared and its own variables", async () => {
  const set = {
    NETSCRIPT_SPAWN_TEST_PASSED: "runner",
    NETSCRIPT_SPAWN_TEST_OVERRIDDEN: "runner",
    NETSCRIPT_SPAWN_TEST_UNDECLARED: "secret",
  };
  for (const [name, value] of Object.entries(set)) Deno.env.set(name, value);
  try {
    const { lines } = await run(
      processor({
        flags: ["--allow-env"],
        passEnv: [
          "NETSCRIPT_SPAWN_TEST_PASSED",
          "NETSCRIPT_SPAWN_TEST_OVERRIDDEN",
          "NETSCRIPT_SPAWN_TEST_UNSET",
        ],
        env: { NETSCRIPT_SPAWN_TEST_OVERRIDDEN: "resource", OWN: "mine" },
      }),
      "console.log(JSON.stringify(Deno.env.toObject()));",
    );
    const expected: Record<string, string> = {};
    for (const name of ["PATH", "HOME", "DENO_DIR", "NO_COLOR", "TMPDIR"]) {
      const value = Deno.env.get(name);
      if (value !== undefined) expected[name] = value;
    }
    Object.assign(expected, {
      NETSCRIPT_SPAWN_TEST_PASSED: "runner",
      NETSCRIPT_SPAWN_TEST_OVERRIDDEN: "resource",
      OWN: "mine",
    });
    deepEqual(JSON.parse(lines[0]![1]), expected);
  } finally {
    for (const name of Object.keys(set)) Deno.env.delete(name);
  }
});

Deno.test("spawnResource() passes a workspace .env value only for a variable the process declared", async () => {
  const root = await Deno.makeTempDir({ prefix: "netscript-spawn-env-" });
  try {
    await Deno.writeTextFile(
      join(root, ".env"),
      "NETSCRIPT_SPAWN_TEST_DECLARED=from-file\nNETSCRIPT_SPAWN_TEST_UNDECLARED=secret\n",
    );
    const env = await loadWorkspaceEnv(root, { env: () => undefined });
    const { lines } = await run(
      processor({ flags: ["--allow-env"], passEnv: ["NETSCRIPT_SPAWN_TEST_DECLARED"] }),
      "console.log(JSON.stringify(Deno.env.toObject()));",
      (name) => env.get(name),
    );
    const seen = Object.entries(JSON.parse(lines[0]![1]) as Record<string, string>)
      .filter(([name]) => name.startsWith("NETSCRIPT_SPAWN_TEST_"));
    deepEqual(seen, [["NETSCRIPT_SPAWN_TEST_DECLARED", "from-file"]]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("spawnResource() grants exactly the resource's flags", async () => {
  const { status, lines } = await run(
    processor({ flags: ["--no-prompt", "--allow-env"] }),
    `try {
  Deno.readTextFileSync("main.ts");
  console.log("read");
} catch (error) {
  console.log((error as Error).name);
}`,
  );
  equal(status.code, 0);
  match(lines[0]![1], /^(NotCapable|PermissionDenied)$/);
});
