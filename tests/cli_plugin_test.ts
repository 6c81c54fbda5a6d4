/**
 * End to end: `netscript plugin add`, `list` and `remove` with a real plugin
 * package; a failed change leaves the workspace exactly as it was.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { join } from "node:path";
import { initLinkedWorkspace, netscript, REPO_ROOT, snapshotTree } from "./support/cli.ts";

const HELLO = join(REPO_ROOT, "tests", "fixtures", "hello-plugin");

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyDir(join(from, entry.name), join(to, entry.name));
    else await Deno.copyFile(join(from, entry.name), join(to, entry.name));
  }
}

Deno.test("plugin add, list and remove keep the workspace consistent", async (t) => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-plugins-" });
  const root = join(parent, "app");
  try {
    await initLinkedWorkspace(parent);
    const pristine = await snapshotTree(root);

    await t.step("add a plugin package from disk", async () => {
      const run = await netscript(["plugin", "add", HELLO, "--json"], root);
      equal(run.code, 0, run.stderr);
      const result = JSON.parse(run.stdout);
      equal(result.plugin, "hello");
      equal(result.package, "@fixtures/plugin-hello");
      deepEqual(result.files, [
        "plugins/hello/bin/ticker.ts",
        "plugins/hello/plugin.ts",
        "plugins/hello/services/main.ts",
        "plugins/hello/src/aspire/mod.ts",
        "plugins/hello/streams/greeted.schema.json",
        ".netscript/plugins/hello.json",
      ]);
      deepEqual(result.services.map((s: { name: string; port: number }) => [s.name, s.port]), [[
        "hello-api",
        8190,
      ]]);
      const deno = JSON.parse(await Deno.readTextFile(join(root, "deno.json")));
      equal(deno.imports["@fixtures/plugin-hello"], join(HELLO, "mod.ts"));
      equal(deno.imports["@fixtures/plugin-hello/service"], join(HELLO, "service.ts"));
      match(
        await Deno.readTextFile(join(root, "netscript.config.ts")),
        /\{ name: "hello", package: "@fixtures\/plugin-hello" \}/,
      );
      match(
        await Deno.readTextFile(join(root, ".netscript/definitions/hello.ts")),
        /"slug": "hello"/,
      );
    });

    await t.step("the workspace with the plugin type-checks", async () => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["check", "--quiet", "--no-lock", "."],
        cwd: root,
      }).output();
      ok(out.success, new TextDecoder().decode(out.stderr));
    });

    await t.step("list shows it, as a table and as JSON", async () => {
      const table = await netscript(["plugin", "list"], root);
      match(
        table.stdout,
        /^TYPE\s+NAME\s+VERSION\s+SERVICES\s+PROCESSORS\s+DEFINITIONS\s+CONFIG\s+SOURCE$/m,
      );
      match(
        table.stdout,
        /background-processor\s+hello\s+0\.3\.0\s+hello-api:8190\s+hello-ticker\s+-\s+-\s+@fixtures\/plugin-hello/,
      );
      const json = JSON.parse((await netscript(["plugin", "list", "--json"], root)).stdout);
      deepEqual(json, [{
        name: "hello",
        version: "0.3.0",
        type: "background-processor",
        directory: "plugins/hello",
        package: "@fixtures/plugin-hello",
        services: [{ name: "hello-api", port: 8190 }],
        processors: ["hello-ticker"],
        definitions: [],
        configTopics: [],
      }]);
    });

    const withHello = await snapshotTree(root);

    await t.step("adding it again is an error that changes nothing", async () => {
      const run = await netscript(["plugin", "add", HELLO], root);
      equal(run.code, 1);
      match(run.stderr, /error\[PLUGIN_ALREADY_ADDED\]/);
      deepEqual(await snapshotTree(root), withHello);
    });

    await t.step("a plugin that conflicts is rolled back completely", async () => {
      const twin = join(parent, "hello-twin");
      await copyDir(HELLO, twin);
      const config = JSON.parse(await Deno.readTextFile(join(twin, "deno.json")));
      await Deno.writeTextFile(
        join(twin, "deno.json"),
        JSON.stringify({ ...config, name: "@fixtures/plugin-twin" }),
      );
      await Deno.writeTextFile(
        join(twin, "scaffold", "plugin.ts"),
        'import { definePlugin } from "@netscript/plugin";\n\nexport default definePlugin("twin", "1.0.0")\n  .withService({ name: "twin-api", entrypoint: "./services/main.ts", port: 8190 })\n  .build();\n',
      );
      const run = await netscript(["plugin", "add", twin], root);
      equal(run.code, 1);
      match(
        run.stderr,
        /error\[PLUGIN_DUPLICATE_PORT\].*port 8190.*plugins\/hello.*|error\[PLUGIN_DUPLICATE_PORT\].*plugins\/hello.*port 8190/,
      );
      match(run.stderr, /plugins\/twin/);
      deepEqual(await snapshotTree(root), withHello);
    });

    await t.step(
      "an unknown name and a folder that is not a plugin package are errors",
      async () => {
        const unknown = await netscript(["plugin", "add", "telepathy"], root);
        equal(unknown.code, 1);
        match(unknown.stderr, /error\[PLUGIN_UNKNOWN\]: Unknown plugin "telepathy"/);
        const notPlugin = await netscript(
          ["plugin", "add", join(REPO_ROOT, "packages", "service")],
          root,
        );
        equal(notPlugin.code, 1);
        match(notPlugin.stderr, /error\[PLUGIN_PACKAGE_INVALID\].*no scaffold\/plugin\.ts/);
        deepEqual(await snapshotTree(root), withHello);
      },
    );

    await t.step("a plugin package named like a framework package cannot shadow it", async () => {
      const shadow = join(parent, "service-shadow");
      await copyDir(HELLO, shadow);
      const config = JSON.parse(await Deno.readTextFile(join(shadow, "deno.json")));
      await Deno.writeTextFile(
        join(shadow, "deno.json"),
        JSON.stringify({ ...config, name: "@netscript/service" }),
      );
      const run = await netscript(["plugin", "add", shadow], root);
      equal(run.code, 1);
      match(
        run.stderr,
        /error\[PLUGIN_IMPORT_CONFLICT\].*"@netscript\/service" \(workspace: .*packages\/service\/mod\.ts, plugin: .*service-shadow\/mod\.ts\)/,
      );
      deepEqual(await snapshotTree(root), withHello);
    });

    await t.step(
      "remove refuses a name that is not a plugin folder, and deletes nothing",
      async () => {
        const victim = join(parent, "victim");
        await Deno.mkdir(victim, { recursive: true });
        await Deno.writeTextFile(join(victim, "keep.txt"), "mine");
        for (const name of ["../../victim", "a/../../../victim", "@acme/plugin-hello", "Hello"]) {
          const run = await netscript(["plugin", "remove", name], root);
          equal(run.code, 1, name);
          match(run.stderr, /error\[PLUGIN_NAME_INVALID\]/, name);
        }
        equal(await Deno.readTextFile(join(victim, "keep.txt")), "mine");
        deepEqual(await snapshotTree(root), withHello);
      },
    );

    await t.step("remove takes everything back out", async () => {
      const run = await netscript(["plugin", "remove", "hello"], root);
      equal(run.code, 0, run.stderr);
      deepEqual(await snapshotTree(root), pristine);
    });

    await t.step("removing a plugin that is not there is an error", async () => {
      const run = await netscript(["plugin", "remove", "hello"], root);
      equal(run.code, 1);
      match(run.stderr, /error\[PLUGIN_NOT_FOUND\]/);
    });
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("init --plugins adds plugins while scaffolding", async () => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-plugins-" });
  try {
    const run = await netscript(
      ["init", "app", "--plugins", HELLO, "--no-aspire", "--link", REPO_ROOT, "--json"],
      parent,
    );
    equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    deepEqual(result.plugins, ["hello"]);
    ok(result.files.includes("plugins/hello/plugin.ts"));
    const list = JSON.parse(
      (await netscript(["plugin", "list", "--json"], join(parent, "app"))).stdout,
    );
    deepEqual(list.map((p: { name: string }) => p.name), ["hello"]);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("a plugin that asks for more than a manifest may is refused until the workspace grants it", async () => {
  const parent = await Deno.makeTempDir({ prefix: "netscript-plugin-grants-" });
  const root = join(parent, "app");
  try {
    await initLinkedWorkspace(parent);
    const media = join(parent, "media-plugin");
    await copyDir(HELLO, media);
    const config = JSON.parse(await Deno.readTextFile(join(media, "deno.json")));
    await Deno.writeTextFile(
      join(media, "deno.json"),
      JSON.stringify({ ...config, name: "@fixtures/plugin-media" }),
    );
    await Deno.remove(join(media, "scaffold"), { recursive: true });
    await Deno.mkdir(join(media, "scaffold", "bin"), { recursive: true });
    await Deno.writeTextFile(join(media, "scaffold", "bin", "convert.ts"), "export {};\n");
    await Deno.writeTextFile(
      join(media, "scaffold", "plugin.ts"),
      'import { definePlugin } from "@netscript/plugin";\n\nexport default definePlugin("media", "1.0.0")\n  .withBackgroundProcessor({\n    name: "media-convert",\n    entrypoint: "./bin/convert.ts",\n    permissions: { run: ["ffmpeg"], write: ["/srv/media"] },\n  })\n  .build();\n',
    );
    const before = await snapshotTree(root);
    const refused = await netscript(["plugin", "add", media], root);
    equal(refused.code, 1);
    match(
      refused.stderr,
      /error\[PLUGIN_PERMISSION_NOT_GRANTED\]: media-convert \(plugin "media"\) asks for write "\/srv\/media".*run "ffmpeg".*permissions: \{ "media-convert": \{ write: \["\/srv\/media"\], run: \["ffmpeg"\] \} \}/,
    );
    deepEqual(await snapshotTree(root), before);

    const file = join(root, "netscript.config.ts");
    await Deno.writeTextFile(
      file,
      (await Deno.readTextFile(file)).replace(
        "plugins: [],",
        'plugins: [],\n  permissions: { "media-convert": { run: ["ffmpeg"], write: ["/srv/media"] } },',
      ),
    );
    const added = await netscript(["plugin", "add", media], root);
    equal(added.code, 0, added.stderr);
    match(added.stdout, /media-convert asks for --allow-write=\/srv\/media --allow-run=ffmpeg/);
    const doctor = JSON.parse((await netscript(["doctor", "--json"], root)).stdout);
    const row = doctor.findings.find((f: { check: string }) => f.check === "permissions");
    equal(row.status, "ok");
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});
