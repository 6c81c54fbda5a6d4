import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { isNetScriptError } from "@netscript/contracts/errors";
import type { TriggersErrorCode } from "../triggers_error_codes.ts";
import { unverified } from "../webhooks/unverified.ts";
import { defineCron } from "./define_cron.ts";
import { defineEvent } from "./define_event.ts";
import { defineWebhook } from "./define_webhook.ts";
import { isTriggerDefinition, triggersByName } from "./trigger_list.ts";

const ping = defineWebhook({ name: "ping", verify: unverified(), dispatch: () => null });
const nightly = defineCron({ name: "nightly", cron: "0 3 * * *", dispatch: () => null });
const placed = defineEvent({ name: "order-placed", on: { topic: "orders" }, dispatch: () => null });

Deno.test("isTriggerDefinition() tells triggers from other default exports", () => {
  ok(isTriggerDefinition(ping));
  ok(isTriggerDefinition(nightly));
  ok(isTriggerDefinition(placed));
  const dispatch = () => null;
  for (
    const value of [
      null,
      undefined,
      "ping",
      42,
      {},
      { kind: "job", name: "ping", dispatch },
      { kind: "trigger", type: "event" },
      { kind: "trigger", type: "job-state", name: "ping", dispatch },
      { kind: "trigger", type: "cron", name: "ping" },
    ]
  ) {
    equal(isTriggerDefinition(value), false, JSON.stringify(value));
  }
});

Deno.test("triggersByName() indexes the triggers of their files by name", () => {
  const triggers = triggersByName([
    { file: "triggers/ping.ts", definition: ping },
    { file: "triggers/nightly.ts", definition: nightly },
    { file: "triggers/order_placed.ts", definition: placed },
  ]);
  deepEqual([...triggers.keys()], ["ping", "nightly", "order-placed"]);
  equal(triggers.get("ping"), ping);
  equal(triggers.get("nightly"), nightly);
  equal(triggers.get("order-placed"), placed);
  equal(triggersByName([]).size, 0);
});

Deno.test("triggersByName() refuses two triggers of one name, naming both files", () => {
  const again = defineCron({ name: "ping", cron: "* * * * *", dispatch: () => null });
  throws(
    () =>
      triggersByName([
        { file: "triggers/ping.ts", definition: ping },
        { file: "triggers/nightly.ts", definition: nightly },
        { file: "triggers/ping_cron.ts", definition: again },
      ]),
    (error: unknown) => {
      ok(isNetScriptError<TriggersErrorCode>(error, "TRIGGERS_DUPLICATE_NAME"), String(error));
      ok(error.message.includes("triggers/ping.ts"), error.message);
      ok(error.message.includes("triggers/ping_cron.ts"), error.message);
      ok(error.message.includes('"ping"'), error.message);
      deepEqual(error.details, {
        trigger: "ping",
        files: ["triggers/ping.ts", "triggers/ping_cron.ts"],
      });
      return true;
    },
  );
});

Deno.test("triggersByName() refuses a file whose default export is not a trigger", () => {
  for (const definition of [undefined, { kind: "job", name: "ping" }, "ping"]) {
    throws(
      () =>
        triggersByName([
          { file: "triggers/ping.ts", definition: ping },
          { file: "triggers/helpers.ts", definition },
        ]),
      (error: unknown) => {
        ok(
          isNetScriptError<TriggersErrorCode>(error, "TRIGGERS_INVALID_DEFINITION"),
          String(error),
        );
        ok(error.message.startsWith("triggers/helpers.ts does not hold a trigger"), error.message);
        deepEqual(error.details, { file: "triggers/helpers.ts" });
        return true;
      },
    );
  }
});
