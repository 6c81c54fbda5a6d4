/**
 * Every code `@netscript/plugin` raises, with what it means and what to do.
 * Callers branch on these codes, never on messages.
 */
export const PLUGIN_ERROR_CODES = {
  PLUGIN_INVALID_MANIFEST:
    "A definePlugin() call has malformed contributions; the message lists each field and what it must be. Fix the plugin.ts.",
  PLUGIN_REQUIREMENT_MISSING:
    "A plugin needs another plugin (its manifest's requires) that the workspace does not have. Add that plugin too (netscript plugin add <name>), or remove the one that needs it.",
  PLUGIN_DUPLICATE_NAME:
    'Two plugins share a name, or a slug (the name after its scope and "plugin-"). Rename one of them.',
  PLUGIN_DUPLICATE_SERVICE: "Two plugins declare a service with one name. Rename one of them.",
  PLUGIN_DUPLICATE_PROCESSOR:
    "Two plugins declare a background processor with one name. Rename one of them.",
  PLUGIN_DUPLICATE_RESOURCE:
    "A service of one plugin and a processor of another share a name. Rename one of them.",
  PLUGIN_DUPLICATE_PORT: "Two plugin services ask for one port. Change one of the ports.",
  PLUGIN_DUPLICATE_STREAM_TOPIC: "Two plugins produce a stream topic of one name. Rename one.",
  PLUGIN_DUPLICATE_CONFIG_TOPIC: "Two plugins declare a config topic of one name. Rename one.",
  PLUGIN_DUPLICATE_DEFINITIONS_FOLDER:
    "Two plugins read user definitions from one workspace folder. Remove one plugin or change its folder.",
  PLUGIN_DUPLICATE_DASHBOARD_PANEL:
    "Two plugins declare a panel of the netscript dev dashboard with one id. Change the id of one of them.",
  PLUGIN_RESERVED_PORT:
    "A plugin service asks for a port the workspace uses (3000 for the app, 4400 for the netscript dev dashboard, 18888 for the Aspire dashboard). Choose another port.",
  PLUGIN_RESERVED_NAME:
    "A plugin resource uses a name the workspace uses (api, db, cache, or an AppHost server). Choose another name.",
  PLUGIN_DEFINITION_MISMATCH:
    "A file under a definitions folder default-exports something other than that folder's kind of definition. Export one made by the plugin's builder.",
  PLUGIN_PERMISSION_NOT_GRANTED:
    "A plugin resource asks for a permission a manifest cannot grant itself (run, ffi or sys; all of the network, the environment or the files; a path outside the workspace) and netscript.config.ts does not grant it; dev, aspire generate and plugin add stop. If you trust the plugin, add the permissions entry the message prints to netscript.config.ts.",
  CONFIG_INVALID: "netscript.config.ts has a malformed field; the message names it. Fix the file.",
  ENV_FILE_INVALID:
    "The workspace's .env has a line that is not KEY=value: no =, a name that is not a variable name, a quote that is not closed, or an unknown escape. Fix the line the message names.",
} as const;

/** One of {@linkcode PLUGIN_ERROR_CODES}. */
export type PluginErrorCode = keyof typeof PLUGIN_ERROR_CODES;
