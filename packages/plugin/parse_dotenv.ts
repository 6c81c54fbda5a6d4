import { NetScriptError } from "@netscript/contracts/errors";
import type { PluginErrorCode } from "./plugin_error_codes.ts";

/** A variable name: a letter or `_`, then letters, digits and `_`. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The escapes a double-quoted value understands. */
const ESCAPES: Readonly<Record<string, string>> = {
  n: "\n",
  r: "\r",
  t: "\t",
  '"': '"',
  "\\": "\\",
};

/**
 * Reads the text of a `.env` file: one `KEY=value` a line, blank lines and
 * lines starting with `#` ignored, an optional `export ` before the key.
 * A value is taken as written (trimmed, up to a ` #` comment), or between
 * single quotes (literally), or between double quotes (where `\n`, `\r`,
 * `\t`, `\"` and `\\` are escapes). A quoted value ends on its line; `$` is
 * not expanded. When a key repeats, the last value wins.
 *
 * @param text The file's content.
 * @param file The file's path, for error messages.
 * @returns The variables, in the order they first appear.
 * @throws {NetScriptError} `ENV_FILE_INVALID` naming the file and the line,
 *   never the value (it may be a secret).
 * @example
 * ```ts
 * import { parseDotenv } from "@netscript/plugin";
 *
 * const values = parseDotenv('export DATABASE_URL="postgresql://127.0.0.1/app" # local\n', ".env");
 * console.log(values.DATABASE_URL); // "postgresql://127.0.0.1/app"
 * ```
 */
export function parseDotenv(text: string, file: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const fail = (problem: string, fix: string): never => {
      throw new NetScriptError<PluginErrorCode>(
        "ENV_FILE_INVALID",
        `Cannot read ${file} line ${index + 1}: ${problem}; ${fix}`,
        { details: { file, line: index + 1 } },
      );
    };
    const assignment = line.replace(/^export\s+/, "");
    const equals = assignment.indexOf("=");
    if (equals === -1) {
      fail("it is not KEY=value", "write KEY=value, or start the line with # to make it a comment");
    }
    const key = assignment.slice(0, equals).trim();
    if (!NAME.test(key)) {
      // Not quoted: a line this malformed may hold a secret.
      fail(
        key === "" ? "the name before = is missing" : "the text before = is not a variable name",
        "use letters, digits and _ (not starting with a digit)",
      );
    }
    // Defined, not assigned: a key such as __proto__ is a variable like any other.
    Object.defineProperty(values, key, {
      value: _value(assignment.slice(equals + 1).trim(), fail),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  });
  return values;
}

/** Reads the value after `=`: quoted, or bare up to a ` #` comment. */
function _value(rest: string, fail: (problem: string, fix: string) => never): string {
  const quote = rest[0];
  if (quote !== '"' && quote !== "'") {
    const comment = rest.search(/\s#/);
    return (comment === -1 ? rest : rest.slice(0, comment)).trimEnd();
  }
  let value = "";
  for (let i = 1; i < rest.length; i++) {
    const char = rest[i]!;
    if (char === quote) {
      const after = rest.slice(i + 1).trim();
      if (after !== "" && !after.startsWith("#")) {
        fail(
          "there is text after the closing quote",
          "put the whole value inside the quotes, or start a comment with #",
        );
      }
      return value;
    }
    if (char === "\\" && quote === '"') {
      const escaped = ESCAPES[rest[i + 1] ?? ""];
      if (escaped === undefined) {
        fail(
          'a \\ in double quotes is not followed by n, r, t, " or \\',
          "write \\\\ for a backslash, or use single quotes to keep the value as written",
        );
      }
      value += escaped;
      i++;
      continue;
    }
    value += char;
  }
  return fail(
    `the ${quote === '"' ? "double" : "single"} quote is not closed on this line`,
    "close it; for a line break inside a value write \\n between double quotes",
  );
}
