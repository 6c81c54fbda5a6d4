/**
 * Test support for plugin authors: checks a manifest against the contract
 * of the service it describes, such as that its `netscript dev` dashboard
 * panels call routes the contract has and read fields its answers have.
 *
 * @example
 * ```ts ignore
 * import { assertPanelRoutes } from "@netscript/plugin/testing";
 * import { workersContract } from "@netscript/plugin-workers/contract";
 * import { workersManifest } from "@netscript/plugin-workers";
 *
 * Deno.test("the workers panels call routes of the contract", () => {
 *   assertPanelRoutes(workersManifest, workersContract);
 * });
 * ```
 *
 * @module
 */
export { assertPanelRoutes } from "./panel_routes.ts";
