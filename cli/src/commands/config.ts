import { resolve } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import type { CommandSpec, FlagSpec } from "../command.ts";
import type { OpenedConfigTopic } from "../config/open_config_topic.ts";
import { findWorkspaceRoot } from "../workspace.ts";

const VALUE_FLAGS: Readonly<Record<string, FlagSpec>> = {
  value: {
    type: "string",
    placeholder: "json",
    description: "The value as JSON, e.g. '{\"concurrency\": 4}'",
  },
  file: {
    type: "string",
    placeholder: "path",
    description: "A JSON file holding the value",
  },
};

const TOPIC_ARG = { name: "topic", description: "The config topic, e.g. workers" };

/** `netscript config get <topic>`. */
export const configGetCommand: CommandSpec = {
  path: ["config", "get"],
  summary: "Show a config topic's value in force",
  description:
    "Reads a runtime config topic (declared by a plugin with withRuntimeConfigTopics) from the store the workspace's processes use, and prints the value in force with its revision: the stored value with the schema's defaults filled in, or the defaults alone (revision 0) when nothing was set.",
  args: [TOPIC_ARG],
  flags: {},
  examples: [
    { command: "netscript config get workers", description: "The workers' limits in force" },
  ],
  run: ({ args, cwd, output }) =>
    _withTopic(cwd, args[0]!, async ({ topic, location }) => {
      const { value, revision } = await topic.get();
      output.result({ topic: topic.name, value, revision, location });
      output.line(JSON.stringify(value, null, 2));
      output.line(output.colors.dim(`revision ${revision} in ${location}`));
      return 0;
    }),
};

/** `netscript config set <topic> --value <json> | --file <path>`. */
export const configSetCommand: CommandSpec = {
  path: ["config", "set"],
  summary: "Change a config topic; running processes pick it up",
  description:
    "Validates the value against the topic's JSON Schema and, only if it is valid, stores it as the topic's next revision. Processes watching the topic apply it without a restart, and it stays in force across restarts. An invalid value is refused with each of its issues, and nothing is written.",
  args: [TOPIC_ARG],
  flags: VALUE_FLAGS,
  examples: [
    {
      command: `netscript config set workers --value '{"concurrency": 8}'`,
      description: "Let each worker run 8 jobs at once, now",
    },
    {
      command: "netscript config set workers --file workers.json",
      description: "Set the value from a file",
    },
  ],
  run: ({ args, flags, cwd, output }) =>
    _withTopic(cwd, args[0]!, async ({ topic, location }) => {
      const { value, revision } = await topic.set(await _value(cwd, flags));
      output.result({ topic: topic.name, value, revision, location });
      output.line(
        `${output.colors.green("✓")} ${topic.name} is at revision ${revision}: ${
          JSON.stringify(value)
        }`,
      );
      return 0;
    }),
};

/** `netscript config validate <topic> [--value <json> | --file <path>]`. */
export const configValidateCommand: CommandSpec = {
  path: ["config", "validate"],
  summary: "Check a value (or the stored one) against a topic's schema",
  description:
    "Checks a value given with --value or --file against the topic's JSON Schema without storing it, or, with neither, checks the value stored now. Prints each issue and exits with 1 when the value is invalid.",
  args: [TOPIC_ARG],
  flags: VALUE_FLAGS,
  examples: [
    {
      command: "netscript config validate workers --file workers.json",
      description: "Check a file before setting it",
    },
    { command: "netscript config validate workers", description: "Check the stored value" },
  ],
  run: ({ args, flags, cwd, output }) =>
    _withTopic(cwd, args[0]!, async ({ topic, store }) => {
      const given = flags.value !== undefined || flags.file !== undefined;
      const value = given ? await _value(cwd, flags) : (await store.read(topic.name))?.value;
      const result = topic.validate(value);
      output.result({ topic: topic.name, ...result });
      if (result.ok) {
        output.line(`${output.colors.green("✓")} The value is valid for ${topic.name}`);
        return 0;
      }
      for (const issue of result.issues) output.line(`  ${issue.path}: ${issue.message}`);
      output.warn(`the value is not valid for ${topic.name} (${result.issues.length} issue(s))`);
      return 1;
    }),
};

async function _withTopic(
  cwd: string,
  name: string,
  use: (opened: OpenedConfigTopic) => Promise<number>,
): Promise<number> {
  // Loaded when run: the stores and the database helpers stay out of the CLI's start-up.
  const { openConfigTopic } = await import("../config/open_config_topic.ts");
  const opened = await openConfigTopic(await findWorkspaceRoot(cwd), name);
  try {
    return await use(opened);
  } finally {
    await opened.close();
  }
}

/** The value of `--value` or `--file`, parsed as JSON. */
async function _value(
  cwd: string,
  flags: Readonly<Record<string, string | boolean | undefined>>,
): Promise<unknown> {
  const { value, file } = flags;
  if ((value === undefined) === (file === undefined)) {
    throw new NetScriptError(
      "CONFIG_VALUE_MISSING",
      "Give the value with exactly one of --value '<json>' or --file <path>",
    );
  }
  const text = typeof file === "string" ? await _read(resolve(cwd, file)) : String(value);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new NetScriptError(
      "CONFIG_VALUE_NOT_JSON",
      `The value${typeof file === "string" ? ` in ${file}` : ""} is not JSON: ${
        (error as Error).message
      }`,
      { details: typeof file === "string" ? { file } : {} },
    );
  }
}

async function _read(file: string): Promise<string> {
  try {
    return await Deno.readTextFile(file);
  } catch (error) {
    throw new NetScriptError(
      "CONFIG_VALUE_MISSING",
      `Cannot read ${file}: ${(error as Error).message}`,
      { details: { file } },
    );
  }
}
