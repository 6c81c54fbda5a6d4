import { deepEqual, equal, match, throws } from "node:assert/strict";
import { type CommandSpec, UsageError } from "./command.ts";
import { parseCommandLine } from "./parse_args.ts";

const spec = (path: string[], extra: Partial<CommandSpec> = {}): CommandSpec => ({
  path,
  summary: "",
  description: "",
  args: [],
  flags: {},
  examples: [],
  run: () => Promise.resolve(0),
  ...extra,
});

const commands = [
  spec(["init"], {
    args: [{ name: "dir", description: "" }],
    flags: {
      db: { type: "string", description: "", choices: ["postgres", "sqlite"], default: "postgres" },
      "no-aspire": { type: "boolean", description: "", default: false },
    },
  }),
  spec(["plugin", "add"], { args: [{ name: "plugin", description: "" }] }),
  spec(["plugin", "list"]),
  spec(["dev"], { flags: { watch: { type: "boolean", description: "", default: false } } }),
  spec(["db", "migrate"]),
  spec(["db", "status"]),
];

Deno.test("parseCommandLine() picks the command and applies defaults", () => {
  const parsed = parseCommandLine(commands, ["init", "app", "--no-aspire"]);
  deepEqual(parsed.command.path, ["init"]);
  deepEqual(parsed.args, ["app"]);
  deepEqual(parsed.flags, { json: false, help: false, db: "postgres", "no-aspire": true });
});

Deno.test("parseCommandLine() accepts flags before and after arguments", () => {
  const parsed = parseCommandLine(commands, ["--json", "plugin", "add", "./x", "--help"]);
  deepEqual(parsed.command.path, ["plugin", "add"]);
  deepEqual(parsed.args, ["./x"]);
  equal(parsed.flags.json, true);
});

Deno.test("parseCommandLine() reports usage errors", async (t) => {
  const cases: [string, string[], RegExp][] = [
    [
      "a value outside the choices",
      ["init", "a", "--db", "oracle"],
      /Invalid value "oracle" for --db; allowed values: postgres, sqlite/,
    ],
    ["an unknown flag", ["init", "a", "--colour"], /^Unknown option '--colour'$/],
    ["a missing argument", ["init"], /takes <dir>; got none/],
    ["an extra argument", ["plugin", "list", "x"], /takes no arguments; got "x"/],
    [
      "an unknown command",
      ["deploy"],
      /^Unknown command "deploy"; run netscript --help for the list$/,
    ],
    ["a string flag without its value", ["init", "a", "--db"], /--db/],
  ];
  for (const [label, argv, message] of cases) {
    await t.step(label, () => {
      throws(() => parseCommandLine(commands, argv), (error: unknown) => {
        equal(error instanceof UsageError, true);
        match((error as Error).message, message);
        return true;
      });
    });
  }
});

Deno.test("parseCommandLine() suggests the closest command or flag", async (t) => {
  const cases: [string, string[], string][] = [
    [
      "a misspelt flag",
      ["dev", "--wach"],
      "Unknown option '--wach'; did you mean --watch?",
    ],
    [
      "a misspelt flag with a value",
      ["dev", "--wach=1"],
      "Unknown option '--wach'; did you mean --watch?",
    ],
    [
      "a misspelt common flag",
      ["plugin", "list", "--jsn"],
      "Unknown option '--jsn'; did you mean --json?",
    ],
    [
      "a flag with two letters swapped",
      ["init", "a", "--no-apsire"],
      "Unknown option '--no-apsire'; did you mean --no-aspire?",
    ],
    [
      "a misspelt second word",
      ["db", "migrat"],
      'Unknown command "db migrat"; did you mean "db migrate"?',
    ],
    [
      "a misspelt first word",
      ["plugn", "list", "--json"],
      'Unknown command "plugn list"; did you mean "plugin list"?',
    ],
    [
      "a misspelt one-word command followed by an argument",
      ["inti", "app"],
      'Unknown command "inti app"; did you mean "init"?',
    ],
    [
      "a group without a known command",
      ["plugin", "frobnicate"],
      'Unknown command "plugin frobnicate"; run netscript --help for the list',
    ],
    ["a flag nothing is close to", ["dev", "--verbose"], "Unknown option '--verbose'"],
    ["an unknown short flag", ["dev", "-x"], "Unknown option '-x'"],
  ];
  for (const [label, argv, message] of cases) {
    await t.step(label, () => {
      throws(() => parseCommandLine(commands, argv), (error: unknown) => {
        equal(error instanceof UsageError, true);
        equal((error as Error).message, message);
        return true;
      });
    });
  }
});
