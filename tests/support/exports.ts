/**
 * Lists the names a `mod.ts` exports, for export-snapshot tests: every added
 * or removed export then shows in review. Type-only exports are prefixed
 * with `type `.
 *
 * @module
 */

/**
 * Reads the export list of a module's source.
 *
 * @param moduleUrl The `mod.ts` to read.
 * @returns The sorted names, type-only ones as `type Name`.
 */
export async function exportNames(moduleUrl: URL): Promise<string[]> {
  const source = (await Deno.readTextFile(moduleUrl)).replace(/\/\*[\s\S]*?\*\//g, "");
  const names: string[] = [];
  for (const match of source.matchAll(/export\s+(type\s+)?\{([^}]*)\}/g)) {
    const allTypes = match[1] !== undefined;
    for (const raw of match[2]!.split(",")) {
      const entry = raw.trim();
      if (entry === "") continue;
      const isType = allTypes || entry.startsWith("type ");
      const name = entry.replace(/^type\s+/, "").split(/\s+as\s+/).pop()!;
      names.push(isType ? `type ${name}` : name);
    }
  }
  for (const match of source.matchAll(/export\s+(?:const|function|class)\s+(\w+)/g)) {
    names.push(match[1]!);
  }
  return names.sort((a, b) => a.replace(/^type /, "").localeCompare(b.replace(/^type /, "")));
}
