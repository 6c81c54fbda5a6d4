import { deepEqual } from "node:assert/strict";
import { eventSeqs, watchValues } from "./_state_event_sql.ts";

Deno.test("eventSeqs() keeps the ids a seq can be and drops the rest", () => {
  deepEqual(
    eventSeqs([
      "1",
      "42",
      "9223372036854775807",
      "9223372036854775808",
      "99999999999999999999",
      "0",
      "007",
      "-1",
      "+1",
      "1.5",
      " 1",
      "1e3",
      "",
      "01J0000000000000000000000",
    ]),
    ["1", "42", "9223372036854775807"],
  );
});

Deno.test("watchValues() lists the pairs' names and states, leaving out those with a NUL", () => {
  deepEqual(
    watchValues([
      { name: "checkout", state: "completed" },
      { name: "check\0out", state: "completed" },
      { name: "checkout", state: "failed\0" },
      { name: "refund", state: "failed" },
    ]),
    [["checkout", "refund"], ["completed", "failed"]],
  );
});
