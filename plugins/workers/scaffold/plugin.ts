import { defineWorkersPlugin } from "@netscript/plugin-workers";

/**
 * The workers plugin in this workspace. Your jobs run with the job store's
 * permissions only; grant what they need here, e.g.
 * `jobPermissions: { net: ["api.mailgun.net"] }`, then run `deno task dev`.
 */
export default defineWorkersPlugin({ jobPermissions: {} });
