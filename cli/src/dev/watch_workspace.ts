import { relative, sep } from "node:path";
import type { ProcessResource } from "@netscript/plugin";

/** Folders whose changes never restart anything: generated files, data, tooling. */
const IGNORED = [".netscript", ".git", "node_modules", "aspire"];

/** Source files whose changes restart processes. */
const SOURCE = /\.(ts|tsx|mts|js|jsx|mjs|json|jsonc)$/;

/**
 * Which processes a set of changed files affects. A file under a plugin's
 * folder (`plugins/<dir>/`) or the app service's folder (`services/<dir>/`)
 * restarts the processes whose entrypoints are there; a file under a
 * definitions folder (e.g. `jobs/`) restarts the processes of the plugin
 * that reads it; any other source file
 * (contracts, `deno.json`, `netscript.config.ts`, shared code) restarts
 * every process. Generated files (`.netscript/`), `aspire/` and non-source
 * files restart nothing.
 *
 * @param root The workspace root.
 * @param paths Absolute paths that changed.
 * @param processes The running processes.
 * @param definitionFolders Each definitions folder and the plugin that reads it.
 * @returns The names of the processes to restart, in the graph's order.
 */
export function affectedResources(
  root: string,
  paths: readonly string[],
  processes: readonly ProcessResource[],
  definitionFolders: ReadonlyMap<string, string> = new Map(),
): string[] {
  const affected = new Set<string>();
  for (const path of paths) {
    const parts = relative(root, path).split(sep);
    if (parts[0] === ".." || IGNORED.includes(parts[0]!) || !SOURCE.test(path)) continue;
    const reader = parts.length > 1 ? definitionFolders.get(parts[0]!) : undefined;
    const owned = reader !== undefined
      ? processes.filter((p) => p.plugin === reader)
      : parts.length > 2 && (parts[0] === "plugins" || parts[0] === "services")
      ? processes.filter((p) => p.entrypoint.startsWith(`${parts[0]}/${parts[1]}/`))
      : [];
    for (const process of owned.length > 0 ? owned : processes) affected.add(process.name);
  }
  return processes.map((p) => p.name).filter((name) => affected.has(name));
}

/**
 * Watches the workspace and reports, after changes settle for `settleMs`,
 * the processes they affect (see {@linkcode affectedResources}).
 *
 * @param root The workspace root.
 * @param processes The running processes.
 * @param onChange Called with the processes to restart and the changed files.
 * @param options Each definitions folder and the plugin that reads it, and
 * how long to wait for more changes before reporting (200 ms).
 * @returns A function that stops watching.
 */
export function watchWorkspace(
  root: string,
  processes: readonly ProcessResource[],
  onChange: (names: string[], paths: string[]) => void,
  options: { definitionFolders?: ReadonlyMap<string, string>; settleMs?: number } = {},
): () => void {
  const settleMs = options.settleMs ?? 200;
  const watcher = Deno.watchFs(root, { recursive: true });
  let pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  (async () => {
    for await (const event of watcher) {
      if (event.kind === "access" || event.kind === "other") continue;
      for (const path of event.paths) pending.add(path);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const paths = [...pending];
        pending = new Set();
        const names = affectedResources(root, paths, processes, options.definitionFolders);
        if (names.length > 0) onChange(names, paths);
      }, settleMs);
    }
  })();
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
