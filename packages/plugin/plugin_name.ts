/**
 * How a plugin's name becomes its folder, its resource-name prefix and its
 * environment-variable prefix. A plugin is named like its package:
 * `@netscript/plugin-workers`, `@acme/plugin-billing`, or a bare
 * `hello`. The slug is the last segment without a leading `plugin-`:
 * `workers`, `billing`, `hello`. The workspace keeps the plugin in
 * `plugins/<slug>/`, its resources are conventionally named `<slug>-…`, and
 * its settings are read from `<SLUG>_…` variables.
 *
 * @module
 */

/**
 * A plugin name: an optional npm/JSR scope (`@acme/`) and a package name of
 * lowercase letters, digits and dashes, starting with a letter.
 */
export const PLUGIN_NAME_PATTERN: RegExp = /^(?:@[a-z0-9][a-z0-9-]{0,38}\/)?[a-z][a-z0-9-]{0,62}$/;

/** A slug: 1-63 lowercase letters, digits or dashes, starting with a letter. */
const SLUG_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * The short name a plugin's name stands for: the part after the scope,
 * without a leading `plugin-`.
 *
 * @param name A plugin or package name.
 * @returns The slug, e.g. `workers`.
 * @throws {TypeError} When the name does not match {@linkcode PLUGIN_NAME_PATTERN}
 * or leaves no slug (e.g. `@acme/plugin-`).
 *
 * @example
 * ```ts
 * import { pluginSlug } from "@netscript/plugin";
 *
 * console.log(pluginSlug("@netscript/plugin-workers")); // "workers"
 * console.log(pluginSlug("@acme/plugin-billing")); // "billing"
 * console.log(pluginSlug("hello")); // "hello"
 * ```
 */
export function pluginSlug(name: string): string {
  if (!PLUGIN_NAME_PATTERN.test(name)) {
    throw new TypeError(
      `Invalid plugin name ${
        JSON.stringify(name)
      }: use a package name such as "@acme/plugin-billing" or a bare name such as "billing"`,
    );
  }
  const slug = name.slice(name.indexOf("/") + 1).replace(/^plugin-/, "");
  if (!SLUG_PATTERN.test(slug)) {
    throw new TypeError(
      `Invalid plugin name ${
        JSON.stringify(name)
      }: "${slug}" left after the scope and "plugin-" must start with a letter`,
    );
  }
  return slug;
}

/**
 * The prefix of the environment variables a plugin's processes read: the
 * slug in upper case with dashes as underscores.
 *
 * @param name A plugin or package name.
 * @returns The prefix without its trailing underscore, e.g. `WORKERS`.
 *
 * @example
 * ```ts
 * import { pluginEnvPrefix } from "@netscript/plugin";
 *
 * console.log(pluginEnvPrefix("@acme/plugin-order-sync")); // "ORDER_SYNC"
 * ```
 */
export function pluginEnvPrefix(name: string): string {
  return pluginSlug(name).replaceAll("-", "_").toUpperCase();
}
