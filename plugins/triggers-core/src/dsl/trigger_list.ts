/**
 * The workspace's triggers as one list, checked: what the generated
 * `.netscript/definitions/triggers.ts` lists, by name.
 *
 * @module
 */
import { NetScriptError } from "@netscript/contracts/errors";
import type { DefinitionFile } from "@netscript/plugin";
import type { TriggersErrorCode } from "../triggers_error_codes.ts";
import type { CronDefinition } from "./define_cron.ts";
import type { EventDefinition } from "./define_event.ts";
import type { WebhookDefinition } from "./define_webhook.ts";

/** Any trigger: what `defineWebhook`, `defineCron` and `defineEvent` return. */
export type TriggerDefinition = WebhookDefinition | CronDefinition | EventDefinition;

/**
 * Tells whether a value is a trigger definition, e.g. the default export of
 * a file under `triggers/`.
 *
 * @param value Anything.
 * @returns `true` for a trigger from `defineWebhook`, `defineCron` or `defineEvent`.
 */
export function isTriggerDefinition(value: unknown): value is TriggerDefinition {
  if (typeof value !== "object" || value === null) return false;
  const { kind, type, name, dispatch } = value as Record<string, unknown>;
  return kind === "trigger" && (type === "webhook" || type === "cron" || type === "event") &&
    typeof name === "string" && typeof dispatch === "function";
}

/**
 * Takes the triggers out of their files, by name.
 *
 * @param files The files under `triggers/` with their default exports.
 * @returns The triggers by name.
 * @throws {NetScriptError} `TRIGGERS_DUPLICATE_NAME` naming both files when
 * two triggers share a name; `TRIGGERS_INVALID_DEFINITION` naming a file
 * whose default export is not a trigger.
 *
 * @example
 * ```ts
 * import { defineWebhook, triggersByName, unverified } from "@netscript/plugin-triggers-core";
 *
 * const ping = defineWebhook({ name: "ping", verify: unverified(), dispatch: () => null });
 * const triggers = triggersByName([{ file: "triggers/ping.ts", definition: ping }]);
 * console.log([...triggers.keys()]); // ["ping"]
 * ```
 */
export function triggersByName(
  files: readonly DefinitionFile[],
): ReadonlyMap<string, TriggerDefinition> {
  const byName = new Map<string, TriggerDefinition>();
  const fileOf = new Map<string, string>();
  for (const { file, definition } of files) {
    if (!isTriggerDefinition(definition)) {
      throw new NetScriptError<TriggersErrorCode>(
        "TRIGGERS_INVALID_DEFINITION",
        `${file} does not hold a trigger; end it with export default defineWebhook({ … }), defineCron({ … }) or defineEvent({ … }) and regenerate`,
        { details: { file } },
      );
    }
    const first = fileOf.get(definition.name);
    if (first !== undefined) {
      throw new NetScriptError<TriggersErrorCode>(
        "TRIGGERS_DUPLICATE_NAME",
        `${first} and ${file} both define a trigger named "${definition.name}"; give each its own name`,
        { details: { trigger: definition.name, files: [first, file] } },
      );
    }
    byName.set(definition.name, definition);
    fileOf.set(definition.name, file);
  }
  return byName;
}
