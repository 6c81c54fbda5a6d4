/**
 * Loading the contract versions a plugin declares with
 * `withContractVersions()`: each loader is called and the contract its
 * module holds is taken out, so a plugin's API serves the very contracts
 * its manifest names.
 *
 * @module
 */
import type { AnyContractRouter } from "@orpc/contract";
import { isContractRouter } from "@netscript/contracts";
import { NetScriptError } from "@netscript/contracts/errors";
import type { ContractVersionContribution } from "@netscript/plugin";
import type { RuntimeErrorCode } from "./runtime_error_codes.ts";

/**
 * Calls each loader and takes the contract out of the module it loads:
 * the default export when it is a contract, else the one export that is.
 *
 * @param plugin The plugin's name, for the error.
 * @param versions The manifest's `contractVersions`.
 * @returns Each version's contract, by version name (`v1`), in the manifest's order.
 * @throws {NetScriptError} `RUNTIME_CONTRACT_VERSION_INVALID` when a loader
 * fails or its module holds no contract or several.
 */
export async function loadContractVersions(
  plugin: string,
  versions: readonly ContractVersionContribution[],
): Promise<ReadonlyMap<string, AnyContractRouter>> {
  const contracts = new Map<string, AnyContractRouter>();
  for (const { version, loader } of versions) {
    const refuse = (problem: string, cause?: unknown) =>
      new NetScriptError<RuntimeErrorCode>(
        "RUNTIME_CONTRACT_VERSION_INVALID",
        `Cannot load contract ${version} of plugin "${plugin}": ${problem}`,
        { details: { plugin, version }, ...(cause === undefined ? {} : { cause }) },
      );
    let module: Record<string, unknown>;
    try {
      module = (await loader() ?? {}) as Record<string, unknown>;
    } catch (error) {
      throw refuse(`its loader failed (${error instanceof Error ? error.message : error})`, error);
    }
    const found = isContractRouter(module.default)
      ? [["default", module.default] as const]
      : Object.entries(module).filter(([, value]) => isContractRouter(value));
    if (found.length !== 1) {
      throw refuse(
        found.length === 0
          ? "its module exports no contract; export it, or default-export it"
          : `its module exports several contracts (${
            found.map(([name]) => name).join(", ")
          }); export exactly one, or default-export it`,
      );
    }
    contracts.set(version, found[0]![1] as AnyContractRouter);
  }
  return contracts;
}
