import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { expectTypeOf } from "expect-type";
import { isNetScriptError } from "@netscript/contracts/errors";
import { definitionFiles } from "./definition_files.ts";

const greet = { kind: "job", name: "greet" } as const;

Deno.test("definitionFiles() returns the files as given, with their types", () => {
  const files = definitionFiles({ kind: "job" }, [{ file: "jobs/greet.ts", definition: greet }]);
  deepEqual(files, [{ file: "jobs/greet.ts", definition: greet }]);
  expectTypeOf(files[0].definition.name).toEqualTypeOf<"greet">();
  expectTypeOf(files[0].file).toEqualTypeOf<"jobs/greet.ts">();
});

Deno.test("definitionFiles() names the file whose default export is of another kind", () => {
  const cases = [
    { definition: { kind: "schedule" }, actual: /it exports a "schedule"/ },
    { definition: 42, actual: /definition; end it/ },
    { definition: undefined, actual: /definition; end it/ },
  ];
  for (const { definition, actual } of cases) {
    throws(
      () =>
        definitionFiles({ kind: "job", builder: "defineJob" }, [
          { file: "jobs/greet.ts", definition: greet },
          { file: "jobs/broken.ts", definition },
        ]),
      (error: unknown) => {
        ok(isNetScriptError(error, "PLUGIN_DEFINITION_MISMATCH"), String(error));
        ok(error.message.startsWith("jobs/broken.ts does not default-export a job definition"));
        ok(actual.test(error.message), error.message);
        ok(error.message.endsWith("end it with export default defineJob({ … })"));
        equal(error.details.file, "jobs/broken.ts");
        return true;
      },
    );
  }
});

Deno.test("definitionFiles() without a builder says which kind to export", () => {
  throws(
    () => definitionFiles({ kind: "saga" }, [{ file: "sagas/x.ts", definition: {} }]),
    /default-export a definition of kind "saga"/,
  );
});
