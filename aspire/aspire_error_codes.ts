/**
 * The error codes of `@netscript/aspire`, as a typed catalog. The
 * `netscript aspire generate` command raises these and its own
 * `ASPIRE_CONTRIBUTION_INVALID`, `ASPIRE_CONTRIBUTION_FAILED` and
 * `ASPIRE_STALE` (in `CLI_ERROR_CODES` of `@netscript/cli`).
 *
 * @module
 */

/**
 * Every code `@netscript/aspire` raises, with what it means and what to do.
 *
 * @example
 * ```ts
 * import { ASPIRE_ERROR_CODES } from "@netscript/aspire";
 *
 * console.log(ASPIRE_ERROR_CODES.ASPIRE_WAIT_CYCLE);
 * ```
 */
export const ASPIRE_ERROR_CODES = {
  ASPIRE_UNKNOWN_RESOURCE:
    "A plugin's Aspire contribution adds a name that is not one of its plugin's resources, or waits for a name that is not another resource of the workspace. Use one of the resource names the message lists.",
  ASPIRE_KIND_MISMATCH:
    "A plugin's Aspire contribution calls addDenoService() for a processor, or addDenoBackground() for a service. Call the method the message names.",
  ASPIRE_DUPLICATE_RESOURCE:
    "A plugin's Aspire contribution adds one resource twice. Add each resource once.",
  ASPIRE_RESOURCE_MISSING:
    "A plugin's Aspire contribution leaves out some of its plugin's resources. Add every resource the message lists.",
  ASPIRE_ENV_CONFLICT:
    "A plugin's Aspire contribution sets an environment variable that NetScript or Aspire already gives the resource. Choose another variable name.",
  ASPIRE_WAIT_CYCLE:
    "Resources wait for each other in a cycle, so none of them would start. Remove one waitFor of the cycle the message shows.",
} as const;

/** One of {@linkcode ASPIRE_ERROR_CODES}. */
export type AspireErrorCode = keyof typeof ASPIRE_ERROR_CODES;
