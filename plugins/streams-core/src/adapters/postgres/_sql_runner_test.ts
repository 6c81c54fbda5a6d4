import { deepEqual } from "node:assert/strict";
import { parseBytea } from "./_sql_runner.ts";

Deno.test("parseBytea() decodes Postgres's hex format, and leaves the escape format to pg", () => {
  deepEqual([...parseBytea("\\x")], []);
  deepEqual([...parseBytea("\\x00ff41e9")], [0x00, 0xff, 0x41, 0xe9]);
  deepEqual([...parseBytea("\\x00FF")], [0x00, 0xff]);
  deepEqual([...parseBytea("ab\\000\\\\")], [0x61, 0x62, 0x00, 0x5c]);
});
