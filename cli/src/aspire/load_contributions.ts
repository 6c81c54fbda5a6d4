import { NetScriptError } from "@netscript/contracts/errors";
import type { RecordedCall } from "@netscript/aspire";
import type { Registry } from "@netscript/plugin";
import type { CliErrorCode } from "../cli_error_codes.ts";
import { runWorkspaceScript } from "../workspace_script.ts";

/**
 * The program run in the workspace to import each plugin's Aspire
 * contribution and record the calls its default export makes.
 */
const LOADER = `
const [out, root, ...pairs] = Deno.args;
const results = [];
for (let i = 0; i < pairs.length; i += 2) {
  const plugin = pairs[i];
  const file = pairs[i + 1];
  try {
    const module = await import(new URL(file, "file://" + root + "/").href);
    if (typeof module.default !== "function") {
      results.push({ plugin, file, problem: "not-a-contribution" });
      continue;
    }
    const calls = [];
    const record = (method) => (name, options = {}) => {
      calls.push({ method, name: String(name), options: JSON.parse(JSON.stringify(options)) });
    };
    module.default({
      addDenoService: record("addDenoService"),
      addDenoBackground: record("addDenoBackground"),
    });
    results.push({ plugin, file, calls });
  } catch (error) {
    results.push({ plugin, file, problem: "failed", message: String(error?.message ?? error) });
  }
}
await Deno.writeTextFile(out, JSON.stringify(results));
`;

type LoaderResult =
  | { plugin: string; file: string; calls: RecordedCall[] }
  | { plugin: string; file: string; problem: "not-a-contribution" }
  | { plugin: string; file: string; problem: "failed"; message: string };

/**
 * Runs every plugin's Aspire contribution (the module its manifest names
 * with `withAspire`) in a subprocess with the workspace's configuration and
 * read-only access, and returns the calls each made.
 *
 * @param root The workspace root.
 * @param registry The workspace's registry.
 * @returns The recorded calls by plugin name, for plugins with a contribution.
 * @throws {NetScriptError} `ASPIRE_CONTRIBUTION_INVALID` when a module does
 * not default-export a function, `ASPIRE_CONTRIBUTION_FAILED` when it throws.
 */
export async function loadContributions(
  root: string,
  registry: Registry,
): Promise<Record<string, RecordedCall[]>> {
  const pairs = registry.plugins.flatMap((p) => p.aspire === undefined ? [] : [p.name, p.aspire]);
  if (pairs.length === 0) return {};
  const results = await runWorkspaceScript(root, LOADER, pairs, {
    code: "ASPIRE_CONTRIBUTION_FAILED",
    doing: "run the plugins' Aspire contributions",
  }) as LoaderResult[];
  const contributions: Record<string, RecordedCall[]> = {};
  for (const result of results) {
    if ("calls" in result) {
      contributions[result.plugin] = result.calls;
    } else if (result.problem === "not-a-contribution") {
      throw new NetScriptError<CliErrorCode>(
        "ASPIRE_CONTRIBUTION_INVALID",
        `${result.file} (plugin ${result.plugin}) does not default-export a contribution; end it with export default defineAspireContribution((app) => { … })`,
        { details: { plugin: result.plugin, file: result.file } },
      );
    } else {
      throw new NetScriptError<CliErrorCode>(
        "ASPIRE_CONTRIBUTION_FAILED",
        `${result.file} (plugin ${result.plugin}) failed: ${result.message.split("\n")[0]}`,
        { details: { plugin: result.plugin, file: result.file } },
      );
    }
  }
  return contributions;
}
