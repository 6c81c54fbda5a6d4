/**
 * End to end: `netscript aspire generate` writes the AppHost from the
 * workspace, `init` and `plugin add`/`remove` keep it current unless told
 * not to, and a plugin whose Aspire contribution is wrong changes nothing.
 */
import { equal, match, ok } from "node:assert/strict";
import { join } from "node:path";
import { netscript, REPO_ROOT, snapshotTree } from "./support/cli.ts";

const HELLO = join(REPO_ROOT, "tests", "fixtures", "hello-plugin");
const APPHOST_FILES = [
  "aspire/.gitignore",
  "aspire/apphost.mts",
  "aspire/aspire.config.json",
  "aspire/package.json",
  "aspire/tsconfig.apphost.json",
];

async function initWithAspire(parent: string): Promise<string> {
  const run = await netscript(
    ["init", "app", "--db", "postgres", "--cache-backend", "redis", "--link", REPO_ROOT],
    parent,
  );
  equal(run.code, 0, run.stderr);
  return join(parent, "app");
}

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyDir(join(from, entry.name), join(to, entry.name));
    else await Deno.copyFile(join(from, entry.name), join(to, entry.name));
  }
}

Deno.test("init writes the AppHost and aspire generate --check keeps it honest", async () => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-aspire-" });
  try {
    const root = await initWithAspire(parent);
    const files = Object.keys(await snapshotTree(join(root, "aspire"))).map((f) => `aspire/${f}`);
    equal(files.sort().join(), APPHOST_FILES.join());
    const apphost = await Deno.readTextFile(join(root, "aspire", "apphost.mts"));
    match(apphost, /builder\.addPostgres\("postgres"\)/);
    match(apphost, /\.addExecutable\("api", "deno", ROOT, \[/);
    const config = JSON.parse(await Deno.readTextFile(join(root, "aspire", "aspire.config.json")));
    equal(config.profiles.http.applicationUrl, "http://localhost:18888");
    equal(
      config.profiles.http.environmentVariables.ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL,
      "http://localhost:18890",
    );

    equal((await netscript(["aspire", "generate", "--check"], root)).code, 0);
    await Deno.writeTextFile(join(root, "aspire", "apphost.mts"), apphost.replace("3000", "3001"));
    const stale = await netscript(["aspire", "generate", "--check", "--json"], root);
    equal(stale.code, 1);
    equal(JSON.parse(stale.stdout).error.code, "ASPIRE_STALE");
    const fixed = await netscript(["aspire", "generate", "--json"], root);
    equal(fixed.code, 0, fixed.stderr);
    equal(JSON.parse(fixed.stdout).changed.join(), "aspire/apphost.mts");
    equal(await Deno.readTextFile(join(root, "aspire", "apphost.mts")), apphost);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("plugin add and remove regenerate the AppHost unless --no-aspire", async () => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-aspire-" });
  try {
    const root = await initWithAspire(parent);
    const apphost = () => Deno.readTextFile(join(root, "aspire", "apphost.mts"));
    equal((await netscript(["plugin", "add", HELLO], root)).code, 0);
    const withHello = await apphost();
    match(withHello, /\.addExecutable\("hello-api", "deno", ROOT/);
    match(withHello, /\.withEnvironment\("TICK_MS", "5000"\)/, "the plugin's contribution applies");
    match(withHello, /\.withParentRelationship\(helloApi\)/);
    equal(
      withHello.match(/\.withEnvironment\("NETSCRIPT_SERVICE_SECRET", SERVICE_SECRET\)/g)?.length,
      withHello.match(/\.addExecutable\(/g)?.length,
      "every process gets the AppHost's service secret",
    );

    equal((await netscript(["plugin", "remove", "hello", "--no-aspire"], root)).code, 0);
    equal(await apphost(), withHello, "--no-aspire leaves aspire/ alone");
    equal((await netscript(["aspire", "generate", "--check"], root)).code, 1);
    equal((await netscript(["aspire", "generate"], root)).code, 0);
    ok(!(await apphost()).includes("hello-api"));
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("a plugin whose Aspire contribution is wrong is not added, and nothing changes", async (t) => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-aspire-" });
  try {
    const root = await initWithAspire(parent);
    const pristine = await snapshotTree(root);
    const broken = join(parent, "hello-plugin");
    await copyDir(HELLO, broken);
    const contribution = join(broken, "scaffold", "src", "aspire", "mod.ts");
    const cases = [
      {
        code: "ASPIRE_RESOURCE_MISSING",
        source:
          'import { defineAspireContribution } from "@netscript/aspire";\nexport default defineAspireContribution((app) => app.addDenoService("hello-api"));\n',
        names: /hello-ticker/,
      },
      {
        code: "ASPIRE_CONTRIBUTION_FAILED",
        source: 'export default () => { throw new Error("no Aspire today"); };\n',
        names: /no Aspire today/,
      },
      {
        code: "ASPIRE_CONTRIBUTION_INVALID",
        source: "export default 42;\n",
        names: /plugins\/hello\/src\/aspire\/mod\.ts/,
      },
    ];
    for (const { code, source, names } of cases) {
      await t.step(code, async () => {
        await Deno.writeTextFile(contribution, source);
        const run = await netscript(["plugin", "add", broken, "--json"], root);
        equal(run.code, 1);
        const error = JSON.parse(run.stdout).error;
        equal(error.code, code);
        match(error.message, names);
        equal(JSON.stringify(await snapshotTree(root)), JSON.stringify(pristine));
      });
    }
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});
