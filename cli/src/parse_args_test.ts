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
    ["an unknown flag", ["init", "a", "--colour"], /Unknown option '--colour'/],
    ["a missing argument", ["init"], /takes <dir>; got none/],
    ["an extra argument", ["plugin", "list", "x"], /takes no arguments; got "x"/],
    ["an unknown command", ["deploy"], /Unknown command "deploy"/],
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
