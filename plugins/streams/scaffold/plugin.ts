import { defineStreamsPlugin } from "@netscript/plugin-streams";

/**
 * The streams plugin in this workspace. Declare your topics here, each
 * with the JSON Schema of one message, e.g.
 * `topics: [{ name: "orders", schemaPath: "./topics/orders.schema.json" }]`;
 * `streams-api` creates them when it starts and refuses messages that do
 * not match. Then run `deno task dev`.
 */
export default defineStreamsPlugin({ topics: [] });
