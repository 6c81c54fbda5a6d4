import { type DbEngine, LOCAL_DATABASE_URLS } from "@netscript/plugin";
import type { WorkspaceEnv } from "../env/workspace_env.ts";

/** A server database's URL and where it came from. */
export interface ServerDatabaseUrl {
  /** The URL. */
  url: string;
  /** The variable that set it and whether that came from `.env`, or `default`. */
  source: "DATABASE_URL" | "DB_URI" | ".env DATABASE_URL" | ".env DB_URI" | "default";
}

/**
 * The URL of a server database, the same for `netscript dev`, `netscript
 * db` and `netscript doctor`: `DATABASE_URL`, else Aspire's `DB_URI`, each
 * from the real environment or else the workspace's `.env`, else the
 * engine's entry in {@linkcode LOCAL_DATABASE_URLS}. An empty value counts
 * as unset.
 *
 * @param engine A server engine.
 * @param env The workspace's variables.
 * @returns The URL and its source.
 * @example
 * ```ts
 * import { serverDatabaseUrl } from "./database_url.ts";
 *
 * const env = { get: () => undefined, source: () => undefined, file: undefined };
 * console.log(serverDatabaseUrl("postgres", env).url); // "postgresql://postgres@127.0.0.1:5432/app"
 * ```
 */
export function serverDatabaseUrl(
  engine: Exclude<DbEngine, "sqlite">,
  env: WorkspaceEnv,
): ServerDatabaseUrl {
  for (const name of ["DATABASE_URL", "DB_URI"] as const) {
    const value = env.get(name);
    if (value !== undefined && value !== "") {
      return { url: value, source: env.source(name) === ".env" ? `.env ${name}` : name };
    }
  }
  return { url: LOCAL_DATABASE_URLS[engine], source: "default" };
}

/**
 * The database's name in a server URL (`app` in `postgresql://…/app`), for
 * messages and for creating it.
 *
 * @param url A server database URL.
 * @returns The name, or `undefined` when the URL names none.
 */
export function databaseName(url: string): string | undefined {
  const keyValue = url.match(/;database=([^;]+)/i)?.[1];
  if (keyValue !== undefined) return keyValue;
  try {
    const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
    return name === "" ? undefined : name;
  } catch {
    return undefined;
  }
}
