import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import { loadWorkspaceEnv } from "./workspace_env.ts";

async function withRoot(dotenv: string | undefined, use: (root: string) => Promise<void>) {
  const root = await Deno.makeTempDir({ prefix: "netscript-env-" });
  try {
    if (dotenv !== undefined) await Deno.writeTextFile(join(root, ".env"), dotenv);
    await use(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("loadWorkspaceEnv() puts the real environment in front of .env", async () => {
  await withRoot("A=file\nB=file\nC=\n", async (root) => {
    const real: Record<string, string> = { A: "real", EMPTY: "" };
    const env = await loadWorkspaceEnv(root, {
      env: (name) => Object.hasOwn(real, name) ? real[name] : undefined,
    });
    equal(env.get("A"), "real", "the environment wins");
    equal(env.source("A"), "environment");
    equal(env.get("B"), "file", ".env fills in what the environment does not set");
    equal(env.source("B"), ".env");
    equal(env.get("C"), "");
    equal(env.get("EMPTY"), "", "a variable set to empty in the environment still wins");
    equal(env.get("MISSING"), undefined);
    equal(env.source("MISSING"), undefined);
    equal(env.get("toString"), undefined, "only the file's own keys count");
    equal(env.file, join(root, ".env"));
  });
});

Deno.test("loadWorkspaceEnv() reads only the environment when there is no .env", async () => {
  await withRoot(undefined, async (root) => {
    const env = await loadWorkspaceEnv(root, { env: (name) => name === "A" ? "real" : undefined });
    deepEqual([env.get("A"), env.get("B"), env.file], ["real", undefined, undefined]);
  });
});

Deno.test("loadWorkspaceEnv() refuses a malformed .env with ENV_FILE_INVALID", async () => {
  await withRoot("A=1\nnot a line\n", async (root) => {
    await rejects(loadWorkspaceEnv(root), (error: unknown) => {
      ok(error instanceof NetScriptError);
      equal(error.code, "ENV_FILE_INVALID");
      deepEqual(error.details, { file: join(root, ".env"), line: 2 });
      return true;
    });
  });
});
