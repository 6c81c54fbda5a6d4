import { basename, dirname, join, relative, resolve } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import { ENGINES } from "@netscript/db";
import {
  CACHE_BACKENDS,
  type CacheBackend,
  DB_ENGINES,
  type DbEngine,
  defineConfig,
} from "@netscript/plugin";
import type { CliErrorCode } from "../cli_error_codes.ts";
import type { CommandSpec } from "../command.ts";
import { CLI_PERMISSIONS, cliPackage, frameworkImports } from "../framework.ts";
import { installPlugin } from "../install_plugin.ts";
import { type PluginSource, resolvePluginSource } from "../plugin_source.ts";
import { generateAppHost } from "../aspire/generate_app_host.ts";
import { generateRegistry } from "../registry/generate_registry.ts";
import { writeDatabaseSetup } from "../db/database_setup.ts";
import { listFiles, renderTemplate } from "../templates.ts";
import { WORKSPACE_FILES } from "../templates/workspace_files.generated.ts";
import { exists } from "../workspace.ts";
import { renderDenoConfig } from "../workspace_files.ts";

/** `netscript init <dir>`. */
export const initCommand: CommandSpec = {
  path: ["init"],
  summary: "Create a NetScript workspace",
  description:
    "Writes a workspace into <dir>: deno.json (import map and tasks), netscript.config.ts, contracts/, services/api/main.ts (the app's service on port 3000), database/schema.prisma, plugins/, the generated .netscript/ registry and a README. Everything is prepared in a staging folder first, so a failure leaves no half-written workspace.",
  args: [{ name: "dir", description: "The folder to create (must be empty unless --force)" }],
  flags: {
    db: {
      type: "string",
      placeholder: "engine",
      description: "The database engine",
      choices: DB_ENGINES,
      default: "postgres",
    },
    "cache-backend": {
      type: "string",
      placeholder: "backend",
      description: "The cache backend",
      choices: CACHE_BACKENDS,
      default: "redis",
    },
    "no-aspire": {
      type: "boolean",
      description:
        "Do not generate the Aspire AppHost (aspire/) and record that the workspace runs without Aspire; netscript dev runs it either way",
      default: false,
    },
    plugins: {
      type: "string",
      placeholder: "a,b",
      description: "Plugins to add, by first-party name or package path, separated by commas",
    },
    force: {
      type: "boolean",
      description: "Write into <dir> even when it is not empty (files it writes are replaced)",
      default: false,
    },
    link: {
      type: "string",
      placeholder: "path",
      description:
        "Resolve @netscript/* to a local checkout of the framework instead of JSR (for development and tests)",
    },
  },
  examples: [
    { command: "netscript init my-app", description: "Postgres and Redis, the defaults" },
    {
      command: "netscript init my-app --db sqlite --cache-backend deno-kv --no-aspire",
      description: "Embedded stores only: no server, no .NET",
    },
    {
      command: "netscript init my-app --link ../netscript",
      description: "Use a local checkout of the framework",
    },
  ],
  async run({ args, flags, cwd, output }) {
    const target = resolve(cwd, args[0]!);
    await _assertWritable(target, flags.force === true);
    const version = cliPackage().version;
    const link = typeof flags.link === "string" ? resolve(cwd, flags.link) : undefined;
    const framework = await frameworkImports({ link, version });
    const pluginSpecs = typeof flags.plugins === "string"
      ? flags.plugins.split(",").map((s) => s.trim()).filter(Boolean)
      : [];
    const sources: PluginSource[] = [];
    for (const spec of pluginSpecs) {
      sources.push(await resolvePluginSource(spec, { cwd, link }));
    }
    const db = flags.db as string;
    const cache = flags["cache-backend"] as string;
    const aspire = flags["no-aspire"] !== true;
    const staging = join(
      dirname(target),
      `.${basename(target)}.netscript-init-${crypto.randomUUID().slice(0, 8)}`,
    );
    try {
      const files = await output.progress("writing the workspace", async () => {
        const written = await _writeWorkspace(staging, {
          name: basename(target),
          db,
          cache,
          aspire,
          imports: framework.imports,
          cli: framework.source.kind === "link"
            ? join(framework.source.path, "cli", "main.ts")
            : `jsr:@netscript/cli@^${version}`,
        });
        for (const source of sources) written.push(...(await installPlugin(staging, source)).files);
        const registry = await generateRegistry(staging, { check: false });
        // The configuration was just written from these flags: passing it spares running
        // netscript.config.ts, whose framework import a new JSR workspace has not fetched yet.
        const config = defineConfig({
          db: { engine: db as DbEngine },
          cache: { backend: cache as CacheBackend },
          plugins: sources.map((source) => ({ name: source.name, package: source.package.name })),
          aspire,
        });
        const appHost = aspire
          ? (await generateAppHost(staging, {
            check: false,
            registry: registry.registry,
            config,
          })).files
          : [];
        return [...written, ...registry.files, ...appHost].sort();
      });
      const generated = await output.progress(
        "generating the database client",
        () => _prepareDatabase(staging, db as DbEngine),
      );
      await _moveIntoPlace(staging, target, [...files, ...generated]);
      const setup = await writeDatabaseSetup(target, db as DbEngine);
      output.result({
        ok: true,
        directory: target,
        db,
        cacheBackend: cache,
        aspire,
        plugins: sources.map((s) => s.name),
        framework: framework.source,
        files: [...files, ...setup.files],
      });
      const { green, bold, cyan } = output.colors;
      output.line(
        `${green("✓")} Created ${bold(relative(cwd, target) || ".")} (${db}, ${cache}${
          aspire ? ", Aspire" : ""
        })${sources.length > 0 ? ` with plugins ${sources.map((s) => s.name).join(", ")}` : ""}`,
      );
      output.line();
      output.line("Next:");
      output.line(`  ${cyan(`cd ${relative(cwd, target) || "."}`)}`);
      for (const step of setup.steps) output.line(`  ${cyan(step.command)}   # ${step.why}`);
      output.line(
        `  ${
          cyan("deno task dev")
        }      # every service and processor; the app on http://localhost:3000/api/docs`,
      );
      if (aspire) output.line(`  ${cyan("cd aspire && aspire start")}   # the same under Aspire`);
      output.line(`  ${cyan("deno task check")}    # format, lint and type-check`);
      return 0;
    } finally {
      await Deno.remove(staging, { recursive: true }).catch(() => {});
    }
  },
};

async function _assertWritable(target: string, force: boolean): Promise<void> {
  if (!(await exists(target))) return;
  if (!(await Deno.stat(target)).isDirectory) {
    throw new NetScriptError<CliErrorCode>(
      "WORKSPACE_NOT_EMPTY",
      `Cannot create a workspace at ${target}: a file is in the way`,
      { details: { directory: target } },
    );
  }
  for await (const _ of Deno.readDir(target)) {
    if (force) return;
    throw new NetScriptError<CliErrorCode>(
      "WORKSPACE_NOT_EMPTY",
      `Cannot create a workspace in ${target}: the folder is not empty; choose another folder or pass --force to write into it`,
      { details: { directory: target } },
    );
  }
}

async function _writeWorkspace(
  root: string,
  options: {
    name: string;
    db: string;
    cache: string;
    aspire: boolean;
    imports: Record<string, string>;
    cli: string;
  },
): Promise<string[]> {
  const files = renderTemplate(WORKSPACE_FILES, {
    name: options.name,
    db: options.db,
    cache: options.cache,
    aspire: String(options.aspire),
  });
  for (const [path, text] of [...files]) {
    if (!path.startsWith(ENGINE_FILES)) continue;
    files.delete(path);
    const [engine, ...rest] = path.slice(ENGINE_FILES.length).split("/");
    if (engine === options.db) files.set(rest.join("/"), text);
  }
  const deno = JSON.parse(files.get("deno.json")!);
  if (!ENGINES[options.db as DbEngine].adapterModule) {
    // No typed client for this engine yet: the service keeps its notes in memory.
    files.delete("services/api/db_notes_store.ts");
    delete deno.tasks.generate;
    deno.tasks.check = deno.tasks.check.replace("deno task generate && ", "");
  }
  deno.imports = options.imports;
  deno.tasks.netscript = `deno run ${CLI_PERMISSIONS.join(" ")} ${options.cli}`;
  files.set("deno.json", renderDenoConfig(deno));
  for (const [path, text] of files) {
    await Deno.mkdir(dirname(join(root, path)), { recursive: true });
    await Deno.writeTextFile(join(root, path), text);
  }
  return [...files.keys()];
}

/**
 * Template files under `_engines/<engine>/` replace or add to the workspace's
 * files for that engine only (its first migration, for example).
 */
const ENGINE_FILES = "_engines/";

/**
 * Generates the typed client `@db` (when the engine has one) so the
 * service's `import { db } from "@db"` resolves from the start, and for
 * SQLite applies the template's migration to `.netscript/data/app.db`.
 *
 * @returns The files written, relative to `root`.
 */
async function _prepareDatabase(root: string, engine: DbEngine): Promise<string[]> {
  if (!ENGINES[engine].adapterModule) return [];
  const { prepareSchema, MIGRATIONS_DIR, SQLITE_FILE } = await import("../db/workspace_db.ts");
  const { generateClient } = await import("../db/generate_client.ts");
  const schema = await prepareSchema(root, engine);
  await generateClient(root, engine);
  if (engine === "sqlite") {
    const { Migrator } = await import("@netscript/db/migrate");
    await Deno.mkdir(dirname(join(root, SQLITE_FILE)), { recursive: true });
    const migrator = await Migrator.open({
      engine,
      url: `file:${join(root, SQLITE_FILE)}`,
      migrationsDir: join(root, MIGRATIONS_DIR),
      schema: schema.files.map((f) => ({ path: f.source, content: f.content })),
    });
    try {
      await migrator.deploy();
    } finally {
      await migrator.close();
    }
  }
  return (await listFiles(join(root, ".netscript"))).map((path) => relative(root, path))
    .filter((path) => path.startsWith(".netscript/db/") || path.startsWith(".netscript/data/"));
}

async function _moveIntoPlace(
  staging: string,
  target: string,
  files: readonly string[],
): Promise<void> {
  if (!(await exists(target))) {
    await Deno.rename(staging, target);
    return;
  }
  for (const file of files) {
    await Deno.mkdir(dirname(join(target, file)), { recursive: true });
    await Deno.rename(join(staging, file), join(target, file));
  }
}
