import { defineSagasPlugin } from "@netscript/plugin-sagas";

/**
 * The sagas plugin in this workspace. Sagas live under sagas/, one
 * `export default defineSaga(…)` per file. saga-runner runs their steps:
 * grant what the steps need here, e.g. `stepPermissions: { net:
 * ["api.stripe.com"] }`, then run `deno task dev`.
 */
export default defineSagasPlugin({ stepPermissions: {} });
