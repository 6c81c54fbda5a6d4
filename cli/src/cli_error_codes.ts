/**
 * The error codes of the `netscript` command line, as a typed catalog. A
 * command prints a failure as `error[CODE]: message` and exits with 1
 * (`USAGE`: 2); with `--json`, stdout carries `{ ok: false, error: { code, … } }`.
 * The commands also pass on the codes of the packages they call
 * (`PLUGIN_ERROR_CODES`, `DB_ERROR_CODES`, `ASPIRE_ERROR_CODES`,
 * `CONFIG_ERROR_CODES`, the store codes), and the code of a `NetScriptError`
 * a plugin module throws while it is imported.
 *
 * @module
 */

/**
 * Every code the `netscript` commands raise themselves, with what it means
 * and what to do.
 *
 * @example
 * ```ts
 * import { CLI_ERROR_CODES } from "@netscript/cli";
 *
 * console.log(CLI_ERROR_CODES.REGISTRY_STALE);
 * ```
 */
export const CLI_ERROR_CODES = {
  USAGE:
    "The command line is malformed: an unknown command or flag, a missing argument, a flag value outside its choices. Run the command with --help for its flags and examples.",
  INTERNAL:
    "A command failed in a way it does not describe (a bug, or an error from a library); the stack is printed on stderr. Report it with the command and the stack.",
  WORKSPACE_NOT_FOUND:
    "No netscript.config.ts in the current folder or its parents. Run the command inside a workspace, or create one with netscript init <dir>.",
  WORKSPACE_NOT_EMPTY:
    "netscript init was pointed at a file, or at a folder that is not empty. Choose another folder, or pass --force to write into it.",
  WORKSPACE_WRITE_FAILED:
    "A command could not write its generated files (a target is a folder, a parent is a file, the disk is full or read-only); it put back every file it had already replaced, so nothing changed. Fix what the message names and run the command again.",
  LINK_INVALID:
    "netscript init --link names a folder that is not a NetScript checkout (no packages/plugin/deno.json). Pass the root of a NetScript clone.",
  PACKAGE_INVALID:
    "A package's deno.json is missing, unreadable, or lacks name, version or exports. Give the package's deno.json a name, a version and exports.",
  PLUGIN_UNKNOWN:
    "plugin add (or init --plugins) was given a name no first-party plugin has. Use one of the names the message lists, or pass the path of a plugin package.",
  PLUGIN_PACKAGE_INVALID:
    "plugin add was given a path that does not exist, a folder without scaffold/plugin.ts, or a package not named like a plugin. Pass the folder of a plugin package (a deno.json and a scaffold/ folder).",
  PLUGIN_ALREADY_ADDED:
    "The plugin is already in the workspace (its folder under plugins/ exists, or netscript.config.ts lists it). Remove it first with netscript plugin remove <name>, then add it again.",
  PLUGIN_IMPORT_CONFLICT:
    "plugin add found that the plugin needs an import map entry the workspace already maps to something else (its package named like an existing entry, or another version of a shared dependency); nothing was changed. Align the versions in deno.json, or rename the plugin's package.",
  PLUGIN_NAME_INVALID:
    "plugin remove was given a name that is not a plugin folder name (lowercase letters, digits and dashes, starting with a letter), such as a path. Pass the name netscript plugin list shows.",
  PLUGIN_NOT_FOUND:
    "plugin remove was given a name with no folder under plugins/ and no entry in netscript.config.ts. Pass a name that netscript plugin list shows.",
  PLUGIN_LOAD_FAILED:
    "A plugin.ts cannot be imported (a missing module, a permission the loader does not grant), or Deno could not start to load the plugins. Fix the import the message names, or move the code that needs the permission out of the manifest module.",
  PLUGIN_NOT_A_MANIFEST:
    "A plugin.ts does not default-export a built plugin manifest. End it with export default definePlugin(…).build().",
  PLUGIN_CONTRACT_UNRESOLVED:
    "A loader the manifest declares with withContractVersions() fails or returns nothing. Fix the import() path or the module it loads.",
  PLUGIN_FOLDER_MISMATCH:
    "A plugin lives in a folder other than plugins/<slug>, its name's slug. Rename the folder or the plugin so they agree.",
  PLUGIN_SCHEMA_INVALID:
    "A plugin names a config topic schema file that does not exist, is not JSON, or holds no JSON object. Write a JSON Schema object at the path the manifest names.",
  REGISTRY_STALE:
    "registry generate --check found generated files under .netscript/ that differ from what the plugins give. Run netscript registry generate and commit the result.",
  CONFIG_LOAD_FAILED:
    "netscript.config.ts cannot be imported: a syntax or type error that stops it loading, a missing import, or Deno could not start to read it. Fix the file so it compiles and default-exports defineConfig({ … }); the message quotes the error.",
  CONFIG_UNEDITABLE:
    "netscript.config.ts has no literal plugins: [ … ] list, or no readable db.engine or cache.backend. Write the list and the values literally inside defineConfig({ … }), not through a variable or a call.",
  CONFIG_TOPIC_UNKNOWN:
    "netscript config was given a topic no plugin of the workspace declares. Use one of the topics the message lists.",
  CONFIG_VALUE_MISSING:
    "netscript config set or validate got neither or both of --value and --file, or the --file cannot be read. Give the value with exactly one of --value '<json>' or --file <path>.",
  CONFIG_VALUE_NOT_JSON:
    "The value given to netscript config set or validate is not JSON. Fix the JSON the message quotes.",
  DEV_MODULE_OUTSIDE_WORKSPACE:
    "A resource's code imports a local file outside the workspace, its packages and the paths its manifest may read (for example a literal import of /etc/passwd as text, which Deno loads before any permission check); dev does not start. Move the file into the workspace or remove the import.",
  DEV_MODULE_GRAPH_FAILED:
    "dev could not read the resources' module graph with deno info (a module that does not resolve, a syntax error). Fix the import the message names; deno check on the entrypoint shows the same error.",
  DEV_STORE_UNREACHABLE:
    "netscript dev found the database or cache server not answering. Start it, or point DATABASE_URL or CACHE_URI at one that runs.",
  DEV_HEALTH_TIMEOUT:
    "A service exited before answering /health, or did not answer within 30 seconds. Read its output just above the error.",
  DEV_HEALTH_FAILED:
    "A service answered /health with a failing check (for example its database does not exist or is not migrated) for several seconds in a row. Run the fix the message gives (often netscript db create, then netscript db deploy), then start netscript dev again.",
  DEV_UNKNOWN_RESOURCE:
    "A name given to netscript dev --only is not a resource of the workspace. Use a name the message lists.",
  DEV_NO_FREE_PORT:
    "netscript dev found no free ports for the services (or its dashboard) after moving them 20 times. Stop the servers holding the ports, or name another dashboard port with --dashboard <port>.",
  DEV_INVALID_DASHBOARD_PORT:
    "netscript dev --dashboard takes a port number from 1 to 65535. Give one, or pass --no-dashboard to run without the dashboard.",
  DEV_ALREADY_RUNNING:
    "netscript dev already runs in this workspace: .netscript/dev/runner.lock names a live runner. Use that one (the message gives its pid and URLs), or stop it with Ctrl-C or kill -TERM <pid> and start again.",
  DB_NATIVE_ENGINE_REQUIRED:
    "A migration command on mysql or mssql needs Prisma's native schema engine, and PRISMA_SCHEMA_ENGINE_BINARY is not set. Install the engine of the Prisma version the message names and set the variable to its path.",
  DB_NATIVE_ENGINE_INVALID:
    "PRISMA_SCHEMA_ENGINE_BINARY names something that is not the schema engine of NetScript's Prisma version, or cannot be run. Point it at the schema-engine binary of that version.",
  DB_CLIENT_UNSUPPORTED:
    "netscript db generate was asked for an engine (mssql) without a Prisma driver adapter in this version. Use postgres, mysql or sqlite for now.",
  DB_GENERATE_FAILED:
    "prisma generate rejected the assembled schema; its output is in the message. Fix the model at the line it names, in the original file under database/ or the plugin's fragment.",
  DB_ENGINE_ERROR:
    "Prisma's schema engine rejected the schema or failed; its first line is in the message. Check the schema files under database/ and the plugins' fragments.",
  DB_CREATE_FAILED:
    "netscript db create could not create the database: the URL names none, the engine is not postgres or mysql, or the server refused (not running, wrong user or password, no right to create databases). Fix what the message names, or create the database with the engine's own tools.",
  DB_URL_INVALID:
    "The workspace's database URL (DATABASE_URL or DB_URI) cannot be parsed, e.g. a port that is not a number or a password with an unencoded / or @. Fix the variable, percent-encoding special characters in the user and password.",
  DB_RESET_NEEDS_FORCE:
    "netscript db reset deletes every table and row, and was run without --force. Run it again with --force if the data may go.",
  CONTRACT_LOAD_FAILED:
    "contract check could not load a contract: a plugin.ts, a contract version's module or contracts/mod.ts does not import, or a version's module exports no contract router or several without a default export. Fix the module the message names, or export exactly one contract from each version's module.",
  CONTRACT_VERSION_UNKNOWN:
    "contract check --plugin --from --to names a plugin or a version the workspace does not declare. Use a plugin and versions the message lists (netscript contract list shows them).",
  CONTRACT_BASE_UNREADABLE:
    "contract check --base could not read the workspace at the git ref: not a git checkout, an unknown ref (a shallow CI clone that lacks it), or git or tar missing. Run it in a git checkout, fetch the ref first, or compare versions with --plugin, --from and --to.",
  CONTRACT_IGNORE_INVALID:
    "The contract check ignore file cannot be read, is not JSON of the shape { ignore: [ … ] }, or has an entry without a known rule id, a procedure or a non-empty reason. Fix the entries the message names; every accepted change needs a reason.",
  ASPIRE_CONTRIBUTION_INVALID:
    "A plugin's Aspire module does not default-export a contribution. End it with export default defineAspireContribution((app) => { … }).",
  ASPIRE_CONTRIBUTION_FAILED:
    "A plugin's Aspire module cannot be imported, or throws (a refused permission included). Read the message, and keep the module to files and the builder it is given.",
  ASPIRE_STALE:
    "aspire generate --check found AppHost files under aspire/ that differ from what the workspace gives. Run netscript aspire generate and commit the result.",
} as const;

/** One of {@linkcode CLI_ERROR_CODES}. */
export type CliErrorCode = keyof typeof CLI_ERROR_CODES;
