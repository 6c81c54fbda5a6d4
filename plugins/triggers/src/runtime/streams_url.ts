/**
 * Where `trigger-processor` reads the stream topics of its event triggers:
 * the URL of the streams plugin's `streams-api`, from the discovery
 * variables `netscript dev` and the Aspire AppHost pass to every process.
 *
 * @module
 */
import { isNetScriptError, NetScriptError } from "@netscript/contracts/errors";
import { resolveServiceUrl, type SdkErrorCode } from "@netscript/sdk";
import type { EnvReader } from "@netscript/runtime";
import type { TriggersPluginErrorCode } from "../triggers_error_codes.ts";

/** The streams plugin's API, as its manifest names it. */
const STREAMS_SERVICE = "streams-api";

/**
 * The base URL of `streams-api`, for the event triggers that need it.
 *
 * @param env Where the process reads variables.
 * @param triggers The event triggers' names, for the message.
 * @returns The URL, without a trailing slash.
 * @throws {NetScriptError} `TRIGGERS_STREAMS_MISSING` when no discovery
 * variable names `streams-api` (the streams plugin is not in the
 * workspace); `SERVICE_URL_INVALID` when one holds something else than an
 * http(s) URL.
 */
export function resolveStreamsUrl(env: EnvReader, triggers: readonly string[]): string {
  try {
    return resolveServiceUrl(STREAMS_SERVICE, { env: (name) => env.get(name) });
  } catch (error) {
    if (!isNetScriptError<SdkErrorCode>(error, "SERVICE_URL_NOT_FOUND")) throw error;
    throw new NetScriptError<TriggersPluginErrorCode>(
      "TRIGGERS_STREAMS_MISSING",
      `Event trigger${triggers.length === 1 ? "" : "s"} ${
        triggers.map((name) => `"${name}"`).join(", ")
      } read${
        triggers.length === 1 ? "s" : ""
      } a stream topic, but this process knows no ${STREAMS_SERVICE}: add the streams plugin with \`netscript plugin add streams\`, or remove the event triggers`,
      { details: { triggers: [...triggers], service: STREAMS_SERVICE }, cause: error },
    );
  }
}
