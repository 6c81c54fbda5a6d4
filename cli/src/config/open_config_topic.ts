import { join, resolve } from "node:path";
import { NetScriptError } from "@netscript/contracts/errors";
import {
  DEFAULT_CONFIG_KV_PATH,
  envFrom,
  openConfigStore,
  selectConfigStore,
} from "@netscript/runtime";
import {
  type ConfigStore,
  type ConfigTopic,
  createConfigTopic,
  type JsonSchemaObject,
} from "@netscript/runtime-config";
import { readEngine, workspaceDatabaseUrl } from "../db/workspace_db.ts";
import { loadWorkspaceRegistry } from "../registry/load_manifests.ts";

/** A workspace's config topic, opened on the store its processes use. */
export interface OpenedConfigTopic {
  /** The topic. */
  readonly topic: ConfigTopic<unknown>;
  /** The plugin that declared it. */
  readonly plugin: string;
  /** The store the topic is kept in. */
  readonly store: ConfigStore;
  /** Where its values are kept, without any password. */
  readonly location: string;
  /** Closes the store. */
  close(): Promise<void>;
}

/**
 * Opens one of the workspace's config topics on the store its processes
 * use, chosen by `@netscript/runtime`'s `selectConfigStore` from the
 * variables the processes get: the workspace's PostgreSQL database
 * (`DATABASE_URL`, else the local default) when its engine is Postgres,
 * else the Deno KV file `.netscript/data/config.kv` (or
 * `NETSCRIPT_CONFIG_KV_PATH`).
 *
 * @param root The workspace root.
 * @param name The topic, as a plugin declared it with `withRuntimeConfigTopics`.
 * @returns The topic and how to close it.
 * @throws {NetScriptError} `CONFIG_TOPIC_UNKNOWN` naming the workspace's
 * topics; `STORE_UNAVAILABLE` when the store cannot be opened.
 */
export async function openConfigTopic(root: string, name: string): Promise<OpenedConfigTopic> {
  const registry = await loadWorkspaceRegistry(root);
  const declared = registry.runtimeConfigTopics.find((t) => t.name === name);
  if (declared === undefined) {
    const known = registry.runtimeConfigTopics.map((t) => t.name);
    throw new NetScriptError(
      "CONFIG_TOPIC_UNKNOWN",
      `No plugin declares config topic ${JSON.stringify(name)}; the workspace has ${
        known.length === 0 ? "none" : known.join(", ")
      }`,
      { details: { topic: name, known } },
    );
  }
  const schema = JSON.parse(
    await Deno.readTextFile(join(root, declared.schemaPath)),
  ) as JsonSchemaObject;
  const { store, location } = await _openStore(root);
  return {
    topic: createConfigTopic({ name, schema, store }),
    plugin: declared.plugin,
    store,
    location,
    close: () => store.close(),
  };
}

async function _openStore(root: string): Promise<{ store: ConfigStore; location: string }> {
  const kvPath = Deno.env.get("NETSCRIPT_CONFIG_KV_PATH") ?? DEFAULT_CONFIG_KV_PATH;
  const env = envFrom({
    DATABASE_URL: await readEngine(root) === "postgres"
      ? await workspaceDatabaseUrl(root, "postgres")
      : undefined,
    NETSCRIPT_CONFIG_KV_PATH: resolve(root, kvPath),
  });
  const selected = selectConfigStore(env);
  return {
    store: await openConfigStore(env),
    location: selected.kind === "kv" ? kvPath : selected.location,
  };
}
