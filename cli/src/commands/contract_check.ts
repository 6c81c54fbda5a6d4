import { join } from "node:path";
import { pathToFileURL as toFileUrl } from "node:url";
import {
  applyIgnores,
  compareContractSets,
  type ContractFinding,
  type ContractSnapshot,
  type IgnoreEntry,
  parseIgnoreFile,
  type Severity,
} from "@netscript/contract-check";
import { NetScriptError } from "@netscript/contracts/errors";
import type { CliErrorCode } from "../cli_error_codes.ts";
import { type CommandSpec, UsageError } from "../command.ts";
import { cliPackage } from "../framework.ts";
import type { Output } from "../output.ts";
import { findManifestFiles } from "../registry/load_manifests.ts";
import { exists, findWorkspaceRoot } from "../workspace.ts";
import { runWorkspaceScript } from "../workspace_script.ts";

/** The ignore file read when `--ignore-file` is not given, at the workspace root. */
export const DEFAULT_IGNORE_FILE = "contract-check-ignore.json";

/** The app's contracts module a scaffolded workspace has. */
const APP_CONTRACTS = "contracts/mod.ts";

/**
 * The program run in the workspace (by {@linkcode runWorkspaceScript}, as the
 * plugin loader runs) to import each `plugin.ts`, load its contract versions
 * as a plugin's API does (`loadContractVersions` of `@netscript/runtime`),
 * and snapshot them, plus every contract `contracts/mod.ts` exports.
 * `modules` is put in front of it.
 */
const SNAPSHOTTER = `
import { isContractRouter } from "@netscript/contracts";
import { loadContractVersions } from "@netscript/runtime";
const [out, _root, checker] = Deno.args;
const { snapshotContract } = await import(checker);
const firstLine = (error) => String(error?.message ?? error).split("\\n")[0];
const contracts = {};
const problems = [];
for (const [file, load] of modules) {
  try {
    const module = await load();
    if (file === ${JSON.stringify(APP_CONTRACTS)}) {
      for (const [name, router] of Object.entries(module)) {
        if (isContractRouter(router)) contracts["app " + name] = snapshotContract(router);
      }
      continue;
    }
    const manifest = module.default;
    if (typeof manifest?.name !== "string" || !Array.isArray(manifest?.contractVersions)) {
      problems.push(file + " does not default-export a plugin manifest");
      continue;
    }
    try {
      const loaded = await loadContractVersions(manifest.name, manifest.contractVersions);
      for (const [version, contract] of loaded) {
        contracts[manifest.name + " " + version] = snapshotContract(contract);
      }
    } catch (error) {
      problems.push(file + ": " + firstLine(error));
    }
  } catch (error) {
    problems.push("cannot import " + file + ": " + firstLine(error));
  }
}
await Deno.writeTextFile(out, JSON.stringify({ contracts, problems }));
`;

/** `netscript contract check`. */
export const contractCheckCommand: CommandSpec = {
  path: ["contract", "check"],
  summary: "Find breaking changes between contract versions, or against a git ref",
  description:
    `Compares contracts procedure by procedure (routes, input, output and error schemas, as the OpenAPI document shows them) and reports each change with a rule id, a severity (breaking, warning, info) and its path. With --plugin, --from and --to it compares two versions a plugin declares with withContractVersions(); with --base it compares every plugin's versions and the contracts ${APP_CONTRACTS} exports against the same files at a git ref. Findings an ignore file accepts (each with a reason) are listed apart. Exits with 1 when a finding at or above --fail-on remains, 0 otherwise. The rules: docs/reference/contract-check.md.`,
  args: [],
  flags: {
    base: {
      type: "string",
      placeholder: "ref",
      description:
        "Compare the workspace with the same files at this git ref (a branch, tag or commit)",
    },
    plugin: {
      type: "string",
      placeholder: "name",
      description: "The plugin whose versions to compare",
    },
    from: {
      type: "string",
      placeholder: "version",
      description: "The version callers use now, e.g. v1",
    },
    to: {
      type: "string",
      placeholder: "version",
      description: "The version to compare it with, e.g. v2",
    },
    "ignore-file": {
      type: "string",
      placeholder: "path",
      description:
        `The ignore file, relative to the workspace root (default ${DEFAULT_IGNORE_FILE}, when it exists)`,
    },
    "fail-on": {
      type: "string",
      placeholder: "severity",
      description: "The lowest severity that fails the check",
      choices: ["breaking", "warning"],
      default: "breaking",
    },
  },
  examples: [
    {
      command: "netscript contract check --base main",
      description: "What changed since main; exit 1 on a breaking change",
    },
    {
      command: "netscript contract check --plugin workers --from v1 --to v2",
      description: "Can v1's callers move to v2 unchanged?",
    },
    {
      command: "netscript contract check --base origin/main --json",
      description: "The findings as JSON, for CI",
    },
  ],
  async run({ cwd, flags, output }) {
    const root = await findWorkspaceRoot(cwd);
    const ignores = await _readIgnores(root, flags["ignore-file"] as string | undefined);
    const base = flags.base as string | undefined;
    const versions = [flags.plugin, flags.from, flags.to] as (string | undefined)[];
    let findings: ContractFinding[];
    if (base !== undefined) {
      if (versions.some((value) => value !== undefined)) {
        throw new UsageError(
          "Give either --base or --plugin, --from and --to, not both",
          contractCheckCommand,
        );
      }
      findings = await output.progress(
        `comparing the contracts with ${base}`,
        () => _compareWithBase(root, base),
      );
    } else if (versions.every((value) => value !== undefined)) {
      const [plugin, from, to] = versions as [string, string, string];
      findings = await output.progress(
        "loading the contracts",
        () => _compareVersions(root, plugin, from, to),
      );
    } else {
      throw new UsageError(
        "Give --base <ref>, or --plugin <name> --from <version> --to <version>",
        contractCheckCommand,
      );
    }
    return _report(applyIgnores(findings, ignores), flags["fail-on"] as Severity, output);
  },
};

async function _readIgnores(
  root: string,
  flag: string | undefined,
): Promise<readonly IgnoreEntry[]> {
  const file = join(root, flag ?? DEFAULT_IGNORE_FILE);
  if (flag === undefined && !(await exists(file))) return [];
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    throw new NetScriptError<CliErrorCode>(
      "CONTRACT_IGNORE_INVALID",
      `Cannot read the ignore file ${file}: ${
        (error as Error).message
      }; pass the path of an existing file to --ignore-file`,
      { details: { file } },
    );
  }
  const parsed = parseIgnoreFile(text);
  if (!parsed.ok) {
    throw new NetScriptError<CliErrorCode>(
      "CONTRACT_IGNORE_INVALID",
      `The ignore file ${file} is invalid: ${parsed.problems.join("; ")}`,
      { details: { file, problems: parsed.problems } },
    );
  }
  return parsed.entries;
}

async function _compareVersions(
  root: string,
  plugin: string,
  from: string,
  to: string,
): Promise<ContractFinding[]> {
  const contracts = await _snapshotWorkspace(root);
  const pick = (version: string) => {
    const snapshot = contracts[`${plugin} ${version}`];
    if (snapshot !== undefined) return snapshot;
    const known = Object.keys(contracts).filter((name) => !name.startsWith("app "));
    throw new NetScriptError<CliErrorCode>(
      "CONTRACT_VERSION_UNKNOWN",
      `No plugin "${plugin}" declares a contract ${version}; the workspace declares ${
        known.length === 0 ? "none" : known.map((name) => `"${name}"`).join(", ")
      } (netscript contract list)`,
      { details: { plugin, version, known } },
    );
  };
  return compareContractSets({ [plugin]: pick(from) }, { [plugin]: pick(to) });
}

async function _compareWithBase(root: string, ref: string): Promise<ContractFinding[]> {
  const directory = await Deno.makeTempDir({ prefix: "netscript-contract-base-" });
  const cleanUp = () => {
    try {
      Deno.removeSync(directory, { recursive: true });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  };
  const onInterrupt = () => {
    cleanUp();
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", onInterrupt);
  Deno.addSignalListener("SIGTERM", onInterrupt);
  try {
    const baseRoot = await _extractRef(root, ref, directory);
    return compareContractSets(await _snapshotWorkspace(baseRoot), await _snapshotWorkspace(root));
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
    Deno.removeSignalListener("SIGTERM", onInterrupt);
    cleanUp();
  }
}

/** Writes the workspace's files as they are at `ref` into `directory` (git archive), and returns the copy's root. */
async function _extractRef(root: string, ref: string, directory: string): Promise<string> {
  const prefix = (await _git(root, ["rev-parse", "--show-prefix"], ref)).trim();
  await _git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], ref);
  const archive = join(directory, "base.tar");
  await _git(root, [
    "archive",
    "--format=tar",
    `--output=${archive}`,
    prefix === "" ? ref : `${ref}:${prefix}`,
  ], ref);
  const tree = join(directory, "tree");
  await Deno.mkdir(tree);
  const tar = await new Deno.Command("tar", {
    args: ["-xf", archive, "-C", tree],
    stdout: "null",
    stderr: "piped",
  })
    .output();
  if (!tar.success) {
    throw new NetScriptError<CliErrorCode>(
      "CONTRACT_BASE_UNREADABLE",
      `Cannot unpack the files at ${ref}: ${new TextDecoder().decode(tar.stderr).trim()}`,
      { details: { ref } },
    );
  }
  return tree;
}

async function _git(root: string, args: readonly string[], ref: string): Promise<string> {
  let result: Deno.CommandOutput;
  try {
    result = await new Deno.Command("git", {
      args: ["-C", root, ...args],
      stdout: "piped",
      stderr: "piped",
    })
      .output();
  } catch (error) {
    throw new NetScriptError<CliErrorCode>(
      "CONTRACT_BASE_UNREADABLE",
      `Cannot run git to read ${ref}: ${
        (error as Error).message
      }; install git, or compare versions with --plugin, --from and --to`,
      { details: { ref } },
    );
  }
  if (!result.success) {
    const stderr = new TextDecoder().decode(result.stderr).trim();
    throw new NetScriptError<CliErrorCode>(
      "CONTRACT_BASE_UNREADABLE",
      `Cannot read the workspace at git ref "${ref}"${
        stderr === "" ? ": no such commit" : `: ${stderr.split("\n")[0]}`
      }; run the check in a git checkout and give a branch, tag or commit it has (fetch it first in a shallow CI clone)`,
      { details: { ref, root } },
    );
  }
  return new TextDecoder().decode(result.stdout);
}

/** Snapshots every plugin contract version and app contract of a workspace, by name (`workers v1`, `app apiContract`). */
async function _snapshotWorkspace(root: string): Promise<Record<string, ContractSnapshot>> {
  const files = await findManifestFiles(root);
  if (await exists(join(root, APP_CONTRACTS))) files.push(APP_CONTRACTS);
  if (files.length === 0) return {};
  const entries = files.map((file) =>
    `  [${JSON.stringify(file)}, () => import(${
      JSON.stringify(toFileUrl(join(root, file)).href)
    })],`
  );
  const program = `const modules = new Map([\n${entries.join("\n")}\n]);\n${SNAPSHOTTER}`;
  const result = await runWorkspaceScript(root, program, [await _checkerSpecifier(root)], {
    code: "CONTRACT_LOAD_FAILED",
    doing: "load the workspace's contracts",
  }) as { contracts: Record<string, ContractSnapshot>; problems: string[] };
  if (result.problems.length > 0) {
    throw new NetScriptError<CliErrorCode>(
      "CONTRACT_LOAD_FAILED",
      `Cannot load the contracts of ${root}: ${result.problems.join("; ")}`,
      { details: { root, problems: result.problems } },
    );
  }
  return result.contracts;
}

/**
 * How the workspace imports the checker: its own import map entry (a
 * workspace linked to a checkout has one), else the JSR package of this
 * CLI's release.
 */
async function _checkerSpecifier(root: string): Promise<string> {
  const config = JSON.parse(await Deno.readTextFile(join(root, "deno.json")));
  return config.imports?.["@netscript/contract-check"] !== undefined
    ? "@netscript/contract-check"
    : `jsr:@netscript/contract-check@^${cliPackage().version}`;
}

const FAILS: Readonly<Record<Severity, readonly Severity[]>> = {
  breaking: ["breaking"],
  warning: ["breaking", "warning"],
  info: ["breaking", "warning", "info"],
};

function _report(
  result: ReturnType<typeof applyIgnores<ContractFinding>>,
  failOn: Severity,
  output: Output,
): number {
  const { kept, ignored, unused } = result;
  const failing = kept.filter((finding) => FAILS[failOn].includes(finding.severity));
  const count = (severity: Severity) =>
    kept.filter((finding) => finding.severity === severity).length;
  output.result({
    ok: failing.length === 0,
    failOn,
    counts: {
      breaking: count("breaking"),
      warning: count("warning"),
      info: count("info"),
      ignored: ignored.length,
    },
    findings: kept,
    ignored,
    unusedIgnores: unused,
  });
  for (const entry of unused) {
    output.warn(
      `ignore entry ${entry.rule} ${entry.procedure}${
        entry.path ? ` ${entry.path}` : ""
      } matches no finding; remove it`,
    );
  }
  if (kept.length > 0) {
    output.table(["SEVERITY", "RULE", "CHANGE"], kept.map((f) => [f.severity, f.rule, f.message]));
  }
  if (ignored.length > 0) {
    output.line();
    output.table(
      ["IGNORED", "CHANGE", "REASON"],
      ignored.map((f) => [f.rule, f.message, f.reason]),
    );
  }
  if (kept.length > 0 || ignored.length > 0) output.line();
  output.line(
    `${count("breaking")} breaking, ${count("warning")} warning, ${
      count("info")
    } info, ${ignored.length} ignored: ${
      failing.length === 0 ? "passed" : `failed (--fail-on ${failOn})`
    }`,
  );
  return failing.length === 0 ? 0 : 1;
}
