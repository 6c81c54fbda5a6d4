import { defineTriggersPlugin } from "@netscript/plugin-triggers";

/**
 * The triggers plugin in this workspace. triggers-api may read webhook
 * secrets from variables named WEBHOOK_…; grant other names here, e.g.
 * `secretEnv: ["GITHUB_WEBHOOK_SECRET"]`, then run `deno task dev`.
 */
export default defineTriggersPlugin({ secretEnv: [] });
