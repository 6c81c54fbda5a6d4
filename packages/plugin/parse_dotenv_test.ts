import { deepEqual, equal, ok, throws } from "node:assert/strict";
import fc from "fast-check";
import { NetScriptError } from "@netscript/contracts/errors";
import { parseDotenv } from "./parse_dotenv.ts";

function rejectsLine(text: string, line: number, pattern: RegExp) {
  throws(() => parseDotenv(text, "app/.env"), (error: unknown) => {
    ok(error instanceof NetScriptError, String(error));
    equal(error.code, "ENV_FILE_INVALID");
    deepEqual(error.details, { file: "app/.env", line });
    ok(error.message.startsWith(`Cannot read app/.env line ${line}: `), error.message);
    ok(pattern.test(error.message), error.message);
    return true;
  });
}

Deno.test("parseDotenv() reads KEY=value lines, comments, export and quotes", () => {
  const text = [
    "# the local database",
    "",
    "DATABASE_URL=postgresql://postgres@127.0.0.1:5432/app",
    "export CACHE_URI = redis://127.0.0.1:6379/1   # a comment",
    "EMPTY=",
    "HASH=abc#def",
    "SINGLE='a \\n $HOME # kept'",
    'DOUBLE="line one\\nline \\"two\\"\\t\\\\" # after',
    "  INDENTED=yes  ",
    "WINDOWS=crlf\r",
  ].join("\n");
  deepEqual(parseDotenv(text, ".env"), {
    DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/app",
    CACHE_URI: "redis://127.0.0.1:6379/1",
    EMPTY: "",
    HASH: "abc#def",
    SINGLE: "a \\n $HOME # kept",
    DOUBLE: 'line one\nline "two"\t\\',
    INDENTED: "yes",
    WINDOWS: "crlf",
  });
});

Deno.test("parseDotenv() keeps the last value of a repeated key", () => {
  deepEqual(parseDotenv("A=1\nA=2\n", ".env"), { A: "2" });
});

Deno.test("parseDotenv() reads __proto__ as a variable, not the object's prototype", () => {
  const values = parseDotenv("__proto__=x\n", ".env");
  deepEqual(Object.keys(values), ["__proto__"]);
  equal(Object.getPrototypeOf(values), Object.prototype);
});

Deno.test("parseDotenv() refuses a malformed line, naming the file and line but not the value", async (t) => {
  await t.step("no =", () => rejectsLine("A=1\nsecret-token\n", 2, /it is not KEY=value/));
  await t.step("no name", () => rejectsLine("=value", 1, /the name before = is missing/));
  await t.step("a bad name", () => rejectsLine("1A=x", 1, /the text before = is not a variable/));
  await t.step("a space in the name", () => rejectsLine("MY KEY=x", 1, /is not a variable name/));
  await t.step("an open quote", () => {
    rejectsLine('A="hunter2\nB=1', 1, /the double quote is not closed on this line/);
    rejectsLine("A='x", 1, /the single quote is not closed/);
  });
  await t.step("text after the quote", () => {
    rejectsLine('A="x" y', 1, /there is text after the closing quote/);
  });
  await t.step("an unknown escape", () => rejectsLine('A="\\q"', 1, /is not followed by n, r, t/));
  await t.step("the value stays out of the message", () => {
    for (const line of ['PASSWORD="hunter2', "DATABASE_URL postgresql://u:hunter2@h/db?x=1"]) {
      throws(() => parseDotenv(line, ".env"), (error: unknown) => {
        ok(!(error as Error).message.includes("hunter2"), (error as Error).message);
        return true;
      });
    }
  });
});

Deno.test("parseDotenv() reads back any value written between double quotes with escapes", () => {
  const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/);
  fc.assert(fc.property(name, fc.string(), (key, value) => {
    const quoted = value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')
      .replaceAll("\n", "\\n").replaceAll("\r", "\\r").replaceAll("\t", "\\t");
    deepEqual(parseDotenv(`export ${key}="${quoted}"\n`, ".env"), { [key]: value });
  }));
});

Deno.test("parseDotenv() reads back any plain value written bare", () => {
  const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/);
  const plain = fc.stringMatching(/^[^\s"'#][^\s#]*$/);
  fc.assert(fc.property(name, plain, (key, value) => {
    deepEqual(parseDotenv(`${key}=${value}`, ".env"), { [key]: value });
  }));
});
