import { deepEqual } from "node:assert/strict";
import { scanErrorCodes, unusedCodes } from "../../../tests/support/error_codes.ts";
import { AUTH_ERROR_CODES } from "../mod.ts";

Deno.test("every AUTH_ERROR_CODES entry is raised by auth-core, a backend or the plugin", async () => {
  const scans = await Promise.all(
    ["auth-core", "auth-kv-oauth", "auth-workos", "auth-better-auth", "auth"].map((dir) =>
      scanErrorCodes(
        new URL(`../../${dir}/`, import.meta.url),
        dir === "auth-core" ? ["src/auth_error_codes.ts"] : [],
      )
    ),
  );
  const unused = scans.reduce<string[]>(
    (left, scan) => left.filter((code) => unusedCodes(scan, AUTH_ERROR_CODES).includes(code)),
    Object.keys(AUTH_ERROR_CODES),
  );
  deepEqual(unused, []);
});
