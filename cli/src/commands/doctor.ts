import { join } from "node:path";
import { isNetScriptError } from "@netscript/contracts/errors";
import {
  assertPermissionsGranted,
  buildResourceGraph,
  composeRegistry,
  type DataStoreResource,
  type DbEngine,
  type NetScriptConfig,
  type ProcessResource,
  type Registry,
} from "@netscript/plugin";
import { redactSecrets } from "@netscript/store";
import { generateAppHost } from "../aspire/generate_app_host.ts";
import type { CliErrorCode } from "../cli_error_codes.ts";
import type { CommandSpec } from "../command.ts";
import { serverDatabaseUrl } from "../db/database_url.ts";
import { loadWorkspaceEnv, type WorkspaceEnv } from "../env/workspace_env.ts";
import { checkServerStoreUrl, probeStore, storeAddress } from "../dev/store_address.ts";
import { readWorkspaceConfig } from "../dev/workspace_config.ts";
import { generateRegistry } from "../registry/generate_registry.ts";
import { loadWorkspaceRegistry } from "../registry/load_manifests.ts";
import { exists, findWorkspaceRoot } from "../workspace.ts";

/** One finding of `netscript doctor`. */
interface Finding {
  check: string;
  status: "ok" | "warn" | "fail";
  detail: string;
  fix: string;
}

/** The Deno version NetScript is built and tested with. */
const PINNED_DENO = "2.9.6";

/** `netscript doctor`. */
export const doctorCommand: CommandSpec = {
  path: ["doctor"],
  summary: "Check the workspace and this machine, with the fix for each problem",
  description:
    "Checks the Deno version, the workspace's .env, netscript.config.ts, that every plugin resource asks only for permissions a manifest may ask for or the workspace grants, that the generated registry (and the Aspire AppHost, when the workspace uses Aspire) is current, that the configured database and cache answer (or that their files' folder is writable), that the database exists, that every migration is applied (listing the pending ones) and that every model's table is there, that every service's port is free, and whether the Aspire CLI is installed. Runs every check, even after one fails, and prints a table with the command that fixes each problem; exits 1 when a check fails (warnings do not fail). The database is the one netscript dev and netscript db use: DATABASE_URL or DB_URI from the environment or .env, else the engine's local default.",
  args: [],
  flags: {},
  examples: [
    {
      command: "netscript doctor",
      description: "Before netscript dev, or when something will not start",
    },
    { command: "netscript doctor --json", description: "The findings as JSON for scripts" },
  ],
  async run({ cwd, output }) {
    const findings: Finding[] = [_denoVersion()];
    const root = await findWorkspaceRoot(cwd);
    let env: WorkspaceEnv | undefined;
    try {
      env = await loadWorkspaceEnv(root);
      findings.push({
        check: "env",
        status: "ok",
        detail: env.file === undefined ? "no .env; the environment only" : ".env read",
        fix: "",
      });
    } catch (error) {
      findings.push({
        check: "env",
        status: "fail",
        detail: (error as Error).message,
        fix: "fix the line of .env the message names",
      });
    }
    let config;
    try {
      config = await readWorkspaceConfig(root);
      findings.push({
        check: "config",
        status: "ok",
        detail: `${config.db.engine}, ${config.cache.backend}`,
        fix: "",
      });
    } catch (error) {
      findings.push({
        check: "config",
        status: "fail",
        detail: (error as Error).message,
        fix: "fix netscript.config.ts",
      });
    }
    let registry;
    try {
      registry = (await generateRegistry(root, { check: true })).registry;
      findings.push({ check: "registry", status: "ok", detail: "up to date", fix: "" });
    } catch (error) {
      const stale = isNetScriptError<CliErrorCode>(error, "REGISTRY_STALE");
      findings.push({
        check: "registry",
        status: "fail",
        detail: stale ? "out of date" : (error as Error).message,
        fix: stale ? "run netscript registry generate" : "fix the plugin named in the message",
      });
      // Out of date is not broken: the plugins still compose, so the checks
      // that need them run on what the manifests say now.
      if (stale) {
        registry = await loadWorkspaceRegistry(root);
      }
    }
    if (config && env) {
      // The stores are checked even when the plugins do not compose.
      const engine = config.db.engine;
      const databaseUrl = engine === "sqlite" ? undefined : serverDatabaseUrl(engine, env).url;
      const cacheUrl = env.get("CACHE_URI");
      const graph = buildResourceGraph(config, registry ?? composeRegistry([]), {
        ...(databaseUrl ? { databaseUrl } : {}),
        ...(cacheUrl ? { cacheUrl } : {}),
      });
      for (
        const store of graph.resources.filter((r): r is DataStoreResource => r.kind === "store")
      ) {
        const finding = await _store(root, store);
        findings.push(finding);
        if (store.name === "db" && finding.status === "ok" && registry) {
          findings.push(...await _database(root, engine, env, registry));
        }
      }
      for (
        const service of graph.resources.filter((r): r is ProcessResource => r.kind === "service")
      ) {
        if (registry) findings.push(_port(service));
      }
    }
    if (config && registry) findings.push(_permissions(config, registry));
    if (config?.aspire && registry) findings.push(await _appHost(root, registry));
    findings.push(await _aspire());
    output.result({ ok: !findings.some((f) => f.status === "fail"), findings });
    const mark = {
      ok: output.colors.green("ok"),
      warn: output.colors.yellow("warn"),
      fail: output.colors.red("fail"),
    };
    output.table(
      ["CHECK", "STATUS", "DETAIL", "FIX"],
      findings.map((f) => [f.check, mark[f.status], f.detail, f.fix]),
    );
    return findings.some((f) => f.status === "fail") ? 1 : 0;
  },
};

/** Whether the database exists, its migrations are applied and its tables are there. */
async function _database(
  root: string,
  engine: DbEngine,
  env: WorkspaceEnv,
  registry: Registry,
): Promise<Finding[]> {
  try {
    const { workspaceDatabaseUrl } = await import("../db/workspace_db.ts");
    const { checkDatabase } = await import("../db/check_database.ts");
    const url = await workspaceDatabaseUrl(root, engine, env);
    return await checkDatabase(root, { engine, url, registry });
  } catch (error) {
    return [{
      check: "database exists",
      status: "fail",
      detail: `cannot check: ${redactSecrets((error as Error).message)}`,
      fix: "fix what the message names",
    }];
  }
}

async function _appHost(root: string, registry: Registry): Promise<Finding> {
  try {
    await generateAppHost(root, { check: true, registry });
    return { check: "apphost", status: "ok", detail: "aspire/ up to date", fix: "" };
  } catch (error) {
    const stale = isNetScriptError<CliErrorCode>(error, "ASPIRE_STALE");
    return {
      check: "apphost",
      status: "fail",
      detail: stale ? "aspire/ out of date" : (error as Error).message,
      fix: stale ? "run netscript aspire generate" : "fix the plugin named in the message",
    };
  }
}

function _denoVersion(): Finding {
  const version = Deno.version.deno;
  return version === PINNED_DENO ? { check: "deno", status: "ok", detail: version, fix: "" } : {
    check: "deno",
    status: "warn",
    detail: `${version} (NetScript is tested with ${PINNED_DENO})`,
    fix: `run with npx -y deno@${PINNED_DENO}`,
  };
}

async function _store(root: string, store: DataStoreResource): Promise<Finding> {
  const check = store.name === "db" ? "database" : "cache";
  if (store.embedded) {
    const folder = join(root, store.file!.slice(0, store.file!.lastIndexOf("/")));
    try {
      await Deno.mkdir(folder, { recursive: true });
      return { check, status: "ok", detail: `${store.engine} file ${store.file}`, fix: "" };
    } catch (error) {
      return {
        check,
        status: "fail",
        detail: `${folder}: ${(error as Error).message}`,
        fix: "make .netscript/data writable",
      };
    }
  }
  const variable = store.name === "db" ? "DATABASE_URL" : "CACHE_URI";
  try {
    checkServerStoreUrl(store);
  } catch (error) {
    return {
      check,
      status: "fail",
      detail: (error as Error).message,
      fix: `fix ${variable} (in the environment or .env)`,
    };
  }
  const { hostname, port } = storeAddress(store);
  const problem = await probeStore(store);
  return problem === undefined
    ? { check, status: "ok", detail: `${store.engine} at ${hostname}:${port} answers`, fix: "" }
    : {
      check,
      status: "fail",
      detail: `${store.engine} at ${hostname}:${port}: ${problem}`,
      fix:
        `start ${store.engine}, or set ${variable} (in the environment or .env) to a running one`,
    };
}

function _port(service: ProcessResource): Finding {
  try {
    Deno.listen({ hostname: "0.0.0.0", port: service.port! }).close();
    return {
      check: `port ${service.port}`,
      status: "ok",
      detail: `free for ${service.name}`,
      fix: "",
    };
  } catch {
    return {
      check: `port ${service.port}`,
      status: "warn",
      detail: `taken; ${service.name} would move to the next free port`,
      fix: "stop whatever listens there, or let netscript dev move it",
    };
  }
}

async function _aspire(): Promise<Finding> {
  for (const directory of (Deno.env.get("PATH") ?? "").split(":")) {
    if (directory !== "" && await exists(join(directory, "aspire"))) {
      return { check: "aspire", status: "ok", detail: join(directory, "aspire"), fix: "" };
    }
  }
  return {
    check: "aspire",
    status: "warn",
    detail: "the Aspire CLI is not installed",
    fix: "optional: netscript dev needs no .NET; install the Aspire CLI to run aspire start",
  };
}

/** Whether every plugin resource asks only for what a manifest may, or what the workspace grants. */
function _permissions(config: NetScriptConfig, registry: Registry): Finding {
  const resources = registry.services.length + registry.processors.length;
  try {
    assertPermissionsGranted(registry, config.permissions);
    return {
      check: "permissions",
      status: "ok",
      detail: `${resources} plugin resource${resources === 1 ? "" : "s"} within policy`,
      fix: "",
    };
  } catch (error) {
    return {
      check: "permissions",
      status: "fail",
      detail: (error as Error).message,
      fix:
        "grant the permissions in netscript.config.ts (permissions: { … }) if you trust the plugin",
    };
  }
}
