import { z } from "zod";
import { formatIssues, NetScriptError } from "@netscript/contracts/errors";
import { DB_ENGINES, type DbEngine } from "./manifest.ts";
import { type DenoPermissions, DenoPermissionsSchema } from "./permissions.ts";
import type { PluginErrorCode } from "./plugin_error_codes.ts";

/** The caches a workspace can use. */
export const CACHE_BACKENDS = ["redis", "garnet", "deno-kv"] as const;

/** One of {@linkcode CACHE_BACKENDS}. */
export type CacheBackend = typeof CACHE_BACKENDS[number];

/** A plugin added with `netscript plugin add`, and the package it came from. */
export interface InstalledPlugin {
  /** The plugin name; its folder is `plugins/<name>/`. */
  readonly name: string;
  /** The package the plugin's runtime comes from, e.g. `@netscript/plugin-workers`. */
  readonly package: string;
}

/** A workspace's `netscript.config.ts`. */
export interface NetScriptConfig {
  /** The database. */
  readonly db: { readonly engine: DbEngine };
  /** The cache. */
  readonly cache: { readonly backend: CacheBackend };
  /** Plugins added with `netscript plugin add`. */
  readonly plugins: readonly InstalledPlugin[];
  /** Whether the workspace has an Aspire AppHost (`aspire/`). */
  readonly aspire: boolean;
  /**
   * Permissions the workspace grants plugin resources beyond what a
   * manifest may ask for on its own (run, ffi, sys; all of the network,
   * the environment or the files; paths outside the workspace), by
   * resource name, e.g. `{ "media-worker": { run: ["ffmpeg"] } }`. A grant
   * only allows what the resource's manifest asks for; it adds nothing.
   * @default {{}}
   */
  readonly permissions?: Readonly<Record<string, DenoPermissions>> | undefined;
}

const configSchema = z.strictObject({
  db: z.strictObject({
    engine: z.enum(DB_ENGINES, { message: `must be one of ${DB_ENGINES.join(", ")}` }),
  }),
  cache: z.strictObject({
    backend: z.enum(CACHE_BACKENDS, { message: `must be one of ${CACHE_BACKENDS.join(", ")}` }),
  }),
  plugins: z.array(z.strictObject({ name: z.string().min(1), package: z.string().min(1) })),
  aspire: z.boolean(),
  permissions: z.record(z.string().min(1), DenoPermissionsSchema).optional(),
});

/**
 * Declares a workspace's configuration: its database engine, cache backend,
 * installed plugins and whether it has an Aspire AppHost. `netscript init`
 * writes it and `netscript plugin add` / `remove` keep `plugins` current.
 *
 * @param config The configuration.
 * @returns The validated, frozen configuration.
 * @throws {NetScriptError} `CONFIG_INVALID` naming each offending field.
 *
 * @example
 * ```ts
 * import { defineConfig } from "@netscript/plugin";
 *
 * export default defineConfig({
 *   db: { engine: "postgres" },
 *   cache: { backend: "redis" },
 *   plugins: [],
 *   aspire: true,
 * });
 * ```
 */
export function defineConfig(config: NetScriptConfig): NetScriptConfig {
  const result = configSchema.safeParse(config, { reportInput: true });
  if (!result.success) {
    const problems = formatIssues(result.error.issues, { root: "(config)" })
      .map((issue) => `${issue.path} ${issue.message}`);
    throw new NetScriptError<PluginErrorCode>(
      "CONFIG_INVALID",
      `Invalid netscript.config.ts: ${problems.join("; ")}`,
      { details: { issues: problems } },
    );
  }
  return Object.freeze({
    db: Object.freeze({ ...result.data.db }),
    cache: Object.freeze({ ...result.data.cache }),
    plugins: Object.freeze(result.data.plugins.map((p) => Object.freeze({ ...p }))),
    aspire: result.data.aspire,
    ...(result.data.permissions === undefined
      ? {}
      : { permissions: Object.freeze({ ...result.data.permissions }) }),
  });
}
