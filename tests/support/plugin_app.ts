/**
 * A workspace with some first-party plugins, running under `netscript
 * dev`: what the plugins' end-to-end tests stand on. It is made with
 * `netscript init --link` on SQLite and Deno KV, or on PostgreSQL when
 * given a database URL, gets the plugins and the test's own files, and is
 * removed afterwards, also when a step fails.
 *
 * @module
 */
import { equal, ok } from "node:assert/strict";
import { join } from "node:path";
import { devReadyEvent, netscript, netscriptProcess, REPO_ROOT } from "./cli.ts";
import { spawnDevJson } from "./dev_slot.ts";

/** What {@linkcode withPluginApp} makes. */
export interface PluginAppOptions {
  /** The plugins to add, in order, e.g. `["workers", "sagas"]`. */
  readonly plugins: readonly string[];
  /** The workspace's own files (jobs, sagas, triggers…), by path. */
  readonly files: Readonly<Record<string, string>>;
  /** The folders to type-check once the registry is generated (on SQLite and Deno KV only). */
  readonly typeCheck: readonly string[];
  /** The processors that must be running besides the services the test reaches. */
  readonly processors: readonly string[];
  /** A PostgreSQL database to run on (its URL goes to `.env`, then `db migrate`). */
  readonly databaseUrl?: string | undefined;
  /** More `.env` lines, e.g. a webhook secret. */
  readonly env?: readonly string[] | undefined;
}

/** The running workspace. */
export interface PluginApp {
  /** The workspace's folder. */
  readonly root: string;
  /**
   * The base URL of one of its services, which must be running.
   *
   * @param service The service's resource name, e.g. `sagas-api`.
   * @returns `http://127.0.0.1:<port>`.
   */
  url(service: string): string;
  /** The base URL of the run's dashboard. */
  readonly dashboard: string;
}

/**
 * Makes the workspace, runs it with `netscript dev`, runs `steps` against
 * it, stops it with SIGINT (which must end with code 0) and removes it.
 *
 * @param t The test.
 * @param options The plugins, files, checks, database and `.env` lines.
 * @param steps What the test does with the running workspace.
 */
export async function withPluginApp(
  t: Deno.TestContext,
  options: PluginAppOptions,
  steps: (app: PluginApp) => Promise<void>,
): Promise<void> {
  const { plugins, databaseUrl } = options;
  const db = databaseUrl === undefined ? "sqlite" : "postgres";
  const parent = await Deno.makeTempDir({ prefix: `netscript-${plugins.join("-")}-` });
  let dev: Deno.ChildProcess | undefined;
  try {
    const init = await netscript(
      ["init", "app", "--db", db, "--cache-backend", "deno-kv", "--no-aspire", "--link", REPO_ROOT],
      parent,
    );
    equal(init.code, 0, init.stderr);
    const root = join(parent, "app");

    await t.step(`plugin add ${plugins.join(", ")} scaffolds the plugins`, async () => {
      for (const plugin of plugins) {
        const add = await netscript(["plugin", "add", plugin, "--json"], root);
        equal(add.code, 0, add.stderr);
        equal(JSON.parse(add.stdout).plugin, plugin);
      }
      for (const [path, text] of Object.entries(options.files)) {
        await Deno.mkdir(join(root, path, ".."), { recursive: true });
        await Deno.writeTextFile(join(root, path), text);
      }
      const generate = await netscript(["registry", "generate"], root);
      equal(generate.code, 0, generate.stderr);
    });

    const env = [
      ...(databaseUrl === undefined ? [] : [`DATABASE_URL=${databaseUrl}`]),
      ...(options.env ?? []),
    ];
    if (env.length > 0) await Deno.writeTextFile(join(root, ".env"), env.join("\n") + "\n");
    if (databaseUrl === undefined) {
      // Once is enough: the plugins' files are the same on every store.
      await t.step("the scaffolded plugins and the workspace's files type-check", async () => {
        const check = await new Deno.Command(Deno.execPath(), {
          args: ["check", "--quiet", "--no-lock", ...options.typeCheck],
          cwd: root,
        }).output();
        ok(check.success, new TextDecoder().decode(check.stderr));
      });
    } else {
      await t.step("db migrate creates the plugins' tables", async () => {
        const migrate = await netscriptProcess(root, ["db", "migrate", "--name", "init"]);
        equal(migrate.code, 0, migrate.stderr);
      });
    }

    dev = await spawnDevJson(root);
    const stderr = new Response(dev.stderr).text();
    const ready = await devReadyEvent(dev, stderr, 90_000);
    const states = ready.resources;
    for (const name of options.processors) {
      equal(states.find((s) => s.name === name)?.state, "running", name);
    }
    await steps({
      root,
      dashboard: ready.dashboard!,
      url(service) {
        const state = states.find((s) => s.name === service);
        equal(state?.state, "running", JSON.stringify(states));
        return `http://127.0.0.1:${state!.port}`;
      },
    });
    dev.kill("SIGINT");
    equal((await dev.status).code, 0, await stderr);
    dev = undefined;
  } finally {
    if (dev) {
      dev.kill("SIGKILL");
      await dev.status;
    }
    await Deno.remove(parent, { recursive: true });
  }
}

/**
 * Reads a plugin's panel from the run's dashboard, as a browser would, and
 * checks that every view of it was read from the plugin's service (a view
 * whose request failed renders a `notice error` saying why).
 *
 * @param app The running workspace, or anything with its dashboard's base URL.
 * @param panel The panel's id, e.g. `jobs`.
 * @returns The page's HTML.
 */
export async function readPanel(
  app: Pick<PluginApp, "dashboard">,
  panel: string,
): Promise<string> {
  const response = await fetch(`${app.dashboard}/panels/${panel}`);
  const page = await response.text();
  equal(response.status, 200, page);
  const failure = /<p class="notice error"[^>]*>([^<]*)</.exec(page);
  equal(failure, null, `the ${panel} panel could not read a view: ${failure?.[1]}`);
  return page;
}
