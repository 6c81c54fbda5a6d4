/**
 * Reads which error codes a package's sources raise and compare, for the
 * per-package tests that hold each package to its typed catalog: every code
 * raised or branched on is in a catalog, and every catalog entry is used.
 *
 * @module
 */

/** One place a source file raises or branches on an error code. */
export interface ErrorCodeUse {
  /** The code, e.g. `PLUGIN_DUPLICATE_NAME`. */
  code: string;
  /** `raised`: `new NetScriptError("CODE", …)`; `compared`: `isNetScriptError(e, "CODE")` or `.code === "CODE"`. */
  use: "raised" | "compared";
  /** The file, relative to the package root, and the line. */
  where: string;
}

/** The codes a package's sources use, and every code-like string they quote. */
export interface ErrorCodeScan {
  /** Every construction of and comparison with a literal code. */
  uses: ErrorCodeUse[];
  /** Every CONSTANT_CASE string literal in the sources, to see that catalog entries are used. */
  quoted: Set<string>;
}

const CODE = `"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)"`;
const TYPE_ARGUMENT = String.raw`(?:<[^>(]*>)?`;
const PATTERNS: readonly { use: ErrorCodeUse["use"]; pattern: RegExp }[] = [
  {
    use: "raised",
    pattern: new RegExp(String.raw`new NetScriptError${TYPE_ARGUMENT}\(\s*${CODE}`, "g"),
  },
  {
    use: "compared",
    pattern: new RegExp(String.raw`isNetScriptError${TYPE_ARGUMENT}\([^,()]*,\s*${CODE}`, "g"),
  },
  { use: "compared", pattern: new RegExp(String.raw`\.code\s*[!=]==?\s*${CODE}`, "g") },
];

/**
 * Scans the `.ts` sources under a package root, leaving out comments,
 * tests, benchmarks, `testdata/` folders and the files `skip` names.
 *
 * @param root The package root (a folder URL ending in `/`).
 * @param skip Files to leave out, relative to the root (the catalog itself).
 * @returns The uses and the quoted code-like strings.
 */
export async function scanErrorCodes(
  root: URL,
  skip: readonly string[] = [],
): Promise<ErrorCodeScan> {
  const scan: ErrorCodeScan = { uses: [], quoted: new Set() };
  const walk = async (dir: URL, prefix: string): Promise<void> => {
    for await (const entry of Deno.readDir(dir)) {
      const relative = `${prefix}${entry.name}`;
      if (entry.isDirectory) {
        if (entry.name !== "testdata" && entry.name !== "node_modules") {
          await walk(new URL(`${entry.name}/`, dir), `${relative}/`);
        }
      } else if (
        entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts") &&
        !entry.name.endsWith("_bench.ts") && !skip.includes(relative)
      ) {
        _scanFile(relative, await Deno.readTextFile(new URL(entry.name, dir)), scan);
      }
    }
  };
  await walk(root, "");
  scan.uses.sort((a, b) => a.where.localeCompare(b.where));
  return scan;
}

function _scanFile(file: string, text: string, scan: ErrorCodeScan): void {
  const source = _withoutComments(text);
  for (const match of source.matchAll(new RegExp(CODE, "g"))) scan.quoted.add(match[1]!);
  for (const { use, pattern } of PATTERNS) {
    for (const match of source.matchAll(pattern)) {
      const line = source.slice(0, match.index).split("\n").length;
      scan.uses.push({ code: match[1]!, use, where: `${file}:${line}` });
    }
  }
}

/**
 * The uses whose code is in none of the given catalogs.
 *
 * @param scan What {@linkcode scanErrorCodes} found.
 * @param catalogs The catalogs the package may use (its own and those it relays).
 * @returns The uses outside them, for a `deepEqual(…, [])`.
 */
export function usesOutside(
  scan: ErrorCodeScan,
  catalogs: readonly Readonly<Record<string, unknown>>[],
): ErrorCodeUse[] {
  return scan.uses.filter((use) => !catalogs.some((catalog) => Object.hasOwn(catalog, use.code)));
}

/**
 * The catalog entries no source quotes: codes nothing raises any more.
 *
 * @param scan What {@linkcode scanErrorCodes} found.
 * @param catalog The package's own catalog.
 * @returns The unused codes, for a `deepEqual(…, [])`.
 */
export function unusedCodes(
  scan: ErrorCodeScan,
  catalog: Readonly<Record<string, string>>,
): string[] {
  return Object.keys(catalog).filter((code) => !scan.quoted.has(code));
}

/** Blanks out comments (doc examples included), keeping line numbers. */
function _withoutComments(source: string): string {
  return source
    .replace(/^\s*\/\*[\s\S]*?\*\//gm, (comment) => comment.replace(/[^\n]/g, " "))
    .replace(/^\s*\/\/.*$/gm, "");
}
