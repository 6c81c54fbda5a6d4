import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import fc from "fast-check";
import {
  checkGrantedPermissions,
  type DenoPermissions,
  DenoPermissionsSchema,
  mergePermissions,
  renderPermissionFlags,
  UNSTABLE_FEATURES,
} from "./mod.ts";

Deno.test("renderPermissionFlags() renders each grant as its own flag", () => {
  deepEqual(
    renderPermissionFlags({
      unstable: ["kv", "cron"],
      env: ["PORT", "DATABASE_URL"],
      net: ["0.0.0.0:8091", "localhost:5432"],
      read: true,
      write: false,
      run: [],
    }),
    [
      "--allow-net=0.0.0.0:8091,localhost:5432",
      "--allow-env=PORT,DATABASE_URL",
      "--allow-read",
      "--unstable-cron",
      "--unstable-kv",
    ],
  );
  deepEqual(renderPermissionFlags({}), []);
});

Deno.test("renderPermissionFlags() never renders -A or --allow-all", () => {
  const grant = fc.oneof(
    fc.boolean(),
    fc.array(fc.stringMatching(/^[a-z0-9.:_/-]{1,20}$/), { maxLength: 3 }),
  );
  fc.assert(
    fc.property(
      fc.record({
        net: grant,
        env: grant,
        read: grant,
        write: grant,
        run: grant,
        sys: grant,
        ffi: grant,
        unstable: fc.subarray([...UNSTABLE_FEATURES]),
      }, { requiredKeys: [] }),
      (permissions) => {
        const flags = renderPermissionFlags(permissions);
        ok(!flags.includes("-A") && !flags.includes("--allow-all"));
        ok(flags.every((flag) => flag.startsWith("--allow-") || flag.startsWith("--unstable-")));
        equal(new Set(flags).size, flags.length);
      },
    ),
  );
});

Deno.test("DenoPermissionsSchema rejects unknown permissions and bad values", () => {
  ok(!DenoPermissionsSchema.safeParse({ all: true }).success);
  ok(!DenoPermissionsSchema.safeParse({ net: ["a,b"] }).success);
  ok(!DenoPermissionsSchema.safeParse({ env: [""] }).success);
  ok(!DenoPermissionsSchema.safeParse({ unstable: ["everything"] }).success);
  ok(DenoPermissionsSchema.safeParse({ net: true, unstable: ["kv"] }).success);
});

Deno.test("mergePermissions() joins lists, lets true win and keeps what only one side has", () => {
  deepEqual(
    mergePermissions(
      { net: ["localhost:5432"], read: [".netscript/data"], unstable: ["kv"] },
      { net: ["api.example.com", "localhost:5432"], env: true, read: true, unstable: ["cron"] },
    ),
    {
      net: ["api.example.com", "localhost:5432"],
      env: true,
      read: true,
      unstable: ["cron", "kv"],
    },
  );
  deepEqual(mergePermissions({}, {}), {});
});

Deno.test("checkGrantedPermissions names each schema problem and refuses env: true", () => {
  const check = {
    option: "jobPermissions",
    builder: "defineWorkersPlugin",
    readers: "your jobs",
    code: "WORKERS_INVALID_PERMISSIONS",
  };
  const granted = { net: ["api.example.com"], env: ["API_KEY"] };
  equal(checkGrantedPermissions(granted, check), granted);
  throws(
    () => checkGrantedPermissions({ env: true }, { ...check, readers: "your steps" }),
    (error: unknown) =>
      isNetScriptError(error, "WORKERS_INVALID_PERMISSIONS") &&
      error.message ===
        "Invalid jobPermissions in defineWorkersPlugin: env must list the variable names your steps read, not true",
  );
  throws(
    () =>
      checkGrantedPermissions(
        { net: [42], color: true } as unknown as DenoPermissions,
        check,
      ),
    (error: unknown) => {
      ok(isNetScriptError(error, "WORKERS_INVALID_PERMISSIONS"));
      const problems = error.details.problems as string[];
      equal(problems.length, 2, problems.join("\n"));
      ok(problems[0]!.startsWith("net "), problems[0]);
      ok(problems[1]!.startsWith("(jobPermissions)") && problems[1]!.includes('"color"'));
      return true;
    },
  );
});
