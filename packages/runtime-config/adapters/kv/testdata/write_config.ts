/**
 * Writes one config value through a KV store of its own, as another process
 * (`netscript config set`) would: `deno run --unstable-kv write_config.ts <path> <topic> <json>`.
 */
import { createKvConfigStore } from "../kv_config_store.ts";

const [path, topic, json] = Deno.args;
const store = await createKvConfigStore({ path: path! });
try {
  const written = await store.write(topic!, JSON.parse(json!));
  console.log(JSON.stringify(written));
} finally {
  await store.close();
}
