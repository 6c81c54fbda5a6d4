import { equal, throws } from "node:assert/strict";
import fc from "fast-check";
import { PLUGIN_NAME_PATTERN, pluginEnvPrefix, pluginSlug } from "./plugin_name.ts";

Deno.test("pluginSlug() drops the scope and a leading plugin-", () => {
  equal(pluginSlug("@netscript/plugin-workers"), "workers");
  equal(pluginSlug("@acme/plugin-billing"), "billing");
  equal(pluginSlug("@acme/billing"), "billing");
  equal(pluginSlug("plugin-hello"), "hello");
  equal(pluginSlug("hello"), "hello");
  equal(pluginSlug("plugins-x"), "plugins-x");
});

Deno.test("pluginEnvPrefix() upper-cases the slug with underscores", () => {
  equal(pluginEnvPrefix("@netscript/plugin-workers"), "WORKERS");
  equal(pluginEnvPrefix("@acme/plugin-order-sync"), "ORDER_SYNC");
});

Deno.test("pluginSlug() refuses names that are not package names, or leave no slug", () => {
  for (const name of ["Workers", "@acme", "@acme/", "@acme/plugin-", "plugin-9x", "a b", ""]) {
    throws(() => pluginSlug(name), TypeError, name);
  }
});

Deno.test("every accepted name has a slug that is a valid folder and resource prefix", () => {
  const segment = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
  fc.assert(
    fc.property(fc.option(segment, { nil: undefined }), segment, (scope, name) => {
      const full = scope === undefined ? name : `@${scope}/${name}`;
      if (!PLUGIN_NAME_PATTERN.test(full)) return;
      let slug: string;
      try {
        slug = pluginSlug(full);
      } catch {
        return; // nothing left after "plugin-"
      }
      equal(/^[a-z][a-z0-9-]{0,62}$/.test(slug), true, slug);
      equal(/^[A-Z][A-Z0-9_]*$/.test(pluginEnvPrefix(full)), true);
    }),
  );
});
