/**
 * The files a resource's code loads before any permission check applies:
 * Deno loads every module of the static graph (including a literal
 * `import("file:///etc/passwd", { with: { type: "text" } })`) before the
 * program runs, so `--allow-read` cannot stop it. Before `dev` starts the
 * resources, their graphs are read with `deno info --json` and a local
 * file outside what a resource may load stops the start.
 *
 * @module
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { NetScriptError } from "@netscript/contracts/errors";
import type { ProcessResource } from "@netscript/plugin";
import type { CliErrorCode } from "../cli_error_codes.ts";
import { exists } from "../workspace.ts";
import { lockfileCopy } from "../workspace_script.ts";

/** One file a resource would load that it may not. */
export interface ForbiddenModule {
  /** The resource. */
  readonly resource: string;
  /** The file. */
  readonly file: string;
  /** The module that imports it. */
  readonly importer: string;
}

interface _InfoModule {
  specifier: string;
  dependencies?: { code?: { specifier?: string }; type?: { specifier?: string } }[];
}

/**
 * The folders a workspace's code may load files from: the workspace
 * itself and the package folder (the nearest folder with a `deno.json`)
 * of every import map entry that points at a local file, such as a linked
 * framework checkout or a plugin package added from disk.
 *
 * @param root The workspace root.
 * @param imports The workspace's import map.
 * @returns Absolute folders.
 */
export async function loadableFolders(
  root: string,
  imports: Readonly<Record<string, string>>,
): Promise<string[]> {
  const folders = new Set([resolve(root)]);
  for (const target of Object.values(imports)) {
    const path = target.startsWith("file:")
      ? fileURLToPath(target)
      : target.startsWith("/")
      ? target
      : target.startsWith("./") || target.startsWith("../")
      ? resolve(root, target)
      : undefined;
    if (path === undefined) continue;
    folders.add(await _packageFolder(path));
  }
  return [...folders].sort();
}

/**
 * Finds the local files each resource's static module graph loads that lie
 * outside the loadable folders and outside the paths the resource may read.
 *
 * @param root The workspace root.
 * @param resources The resources to check.
 * @param folders What {@linkcode loadableFolders} returned.
 * @returns Every forbidden file, by resource; empty when all is well.
 * @throws {NetScriptError} `DEV_MODULE_GRAPH_FAILED` when `deno info` cannot read the graph.
 */
export async function forbiddenModules(
  root: string,
  resources: readonly ProcessResource[],
  folders: readonly string[],
): Promise<ForbiddenModule[]> {
  if (resources.length === 0) return [];
  const entries = resources.map((resource) => pathToFileURL(join(root, resource.entrypoint)).href);
  const modules = await _graph(root, entries);
  const found: ForbiddenModule[] = [];
  for (const [index, resource] of resources.entries()) {
    const readable = _readablePaths(root, resource);
    for (const [file, importer] of _reachable(modules, entries[index]!)) {
      if (!file.startsWith("file:")) continue;
      const path = fileURLToPath(file);
      if ([...folders, ...readable].some((folder) => _inside(path, folder))) continue;
      found.push({ resource: resource.name, file: path, importer });
    }
  }
  return found;
}

/**
 * Stops the start when a resource would load a file it may not.
 *
 * @param root The workspace root.
 * @param resources The resources about to start.
 * @param imports The workspace's import map.
 * @throws {NetScriptError} `DEV_MODULE_OUTSIDE_WORKSPACE` naming each file,
 * its importer and the resource; `DEV_MODULE_GRAPH_FAILED`.
 */
export async function assertModuleGraphs(
  root: string,
  resources: readonly ProcessResource[],
  imports: Readonly<Record<string, string>>,
): Promise<void> {
  const forbidden = await forbiddenModules(root, resources, await loadableFolders(root, imports));
  if (forbidden.length === 0) return;
  throw new NetScriptError<CliErrorCode>(
    "DEV_MODULE_OUTSIDE_WORKSPACE",
    `Cannot start ${[...new Set(forbidden.map((f) => f.resource))].join(", ")}: ${
      forbidden.map((f) => `${f.importer} imports ${f.file}`).join("; ")
    }; code may only load files of the workspace, its packages, or paths its resource may read; move the file into the workspace or remove the import`,
    { details: { forbidden } },
  );
}

async function _graph(root: string, entries: readonly string[]): Promise<Map<string, _InfoModule>> {
  const directory = await Deno.makeTempDir({ prefix: "netscript-graph-" });
  try {
    const main = join(directory, "resources.ts");
    await Deno.writeTextFile(
      main,
      entries.map((entry) => `import ${JSON.stringify(entry)};`).join("\n") + "\n",
    );
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "info",
        "--json",
        await lockfileCopy(root, directory),
        "--config",
        join(root, "deno.json"),
        main,
      ],
      cwd: root,
      env: { NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!output.success) {
      throw new NetScriptError<CliErrorCode>(
        "DEV_MODULE_GRAPH_FAILED",
        `Cannot read the module graph of the resources: deno info exited with code ${output.code}: ${
          new TextDecoder().decode(output.stderr).trim().split("\n")[0]
        }`,
        { details: { entries } },
      );
    }
    const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
      modules: _InfoModule[];
      redirects: Record<string, string>;
    };
    const modules = new Map(info.modules.map((module) => [module.specifier, module]));
    for (const [from, to] of Object.entries(info.redirects ?? {})) {
      const target = modules.get(to);
      if (target !== undefined) modules.set(from, target);
    }
    return modules;
  } finally {
    await Deno.remove(directory, { recursive: true }).catch(() => {});
  }
}

/** Every module reachable from `entry`, with a module that imports it. */
function _reachable(modules: ReadonlyMap<string, _InfoModule>, entry: string): Map<string, string> {
  const seen = new Map<string, string>([[entry, entry]]);
  const queue = [entry];
  while (queue.length > 0) {
    const current = modules.get(queue.pop()!);
    for (const dependency of current?.dependencies ?? []) {
      for (const next of [dependency.code?.specifier, dependency.type?.specifier]) {
        if (next === undefined || seen.has(next)) continue;
        seen.set(next, current!.specifier);
        queue.push(next);
      }
    }
  }
  return seen;
}

/** The absolute paths a resource's permissions let it read. */
function _readablePaths(root: string, resource: ProcessResource): string[] {
  const read = resource.permissions.read;
  if (read === true) return ["/"];
  return Array.isArray(read) ? read.map((path) => resolve(root, path)) : [];
}

function _inside(path: string, folder: string): boolean {
  return folder === "/" || path === folder || path.startsWith(`${folder}/`);
}

async function _packageFolder(path: string): Promise<string> {
  let folder = dirname(path);
  while (folder !== dirname(folder)) {
    if (await exists(join(folder, "deno.json"))) return folder;
    folder = dirname(folder);
  }
  return dirname(path);
}
