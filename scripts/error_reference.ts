/**
 * `deno task docs:errors`: writes docs/reference/errors.md from every
 * package's error-code catalog. A test (tests/error_reference_test.ts) fails
 * when the committed page differs, or when a package exports a catalog this
 * script does not list, so the reference cannot drift from the code.
 *
 * @module
 */
import { ASPIRE_ERROR_CODES } from "@netscript/aspire";
import { CLI_ERROR_CODES } from "@netscript/cli";
import { COMMON_ERRORS, type CommonErrorMap, STORE_ERROR_CODES } from "@netscript/contracts";
import { CREDENTIAL_ERROR_CODES } from "@netscript/contracts/credential";
import { DB_ERROR_CODES } from "@netscript/db";
import { PLUGIN_ERROR_CODES } from "@netscript/plugin";
import { AUTH_ERROR_CODES } from "@netscript/plugin-auth-core";
import { AUTH_PLUGIN_ERROR_CODES } from "@netscript/plugin-auth";
import { SAGAS_CORE_ERROR_CODES } from "@netscript/plugin-sagas-core";
import { SAGAS_PLUGIN_ERROR_CODES } from "@netscript/plugin-sagas";
import { STREAMS_CORE_ERROR_CODES } from "@netscript/plugin-streams-core";
import { STREAMS_ERROR_CODES } from "@netscript/plugin-streams";
import { TRIGGERS_ERROR_CODES } from "@netscript/plugin-triggers-core";
import { TRIGGERS_PLUGIN_ERROR_CODES } from "@netscript/plugin-triggers";
import { WORKERS_ERROR_CODES } from "@netscript/plugin-workers";
import { WORKERS_CORE_ERROR_CODES } from "@netscript/plugin-workers-core";
import { RUNTIME_ERROR_CODES } from "@netscript/runtime";
import { CONFIG_ERROR_CODES } from "@netscript/runtime-config";
import { SDK_ERROR_CODES } from "@netscript/sdk";
import { SERVICE_ERROR_CODES } from "@netscript/service";
import { STORE_SELECTION_ERROR_CODES } from "@netscript/store";

/** One package's catalog, as the page shows it. */
export interface ErrorCatalog {
  /** The package that exports the catalog. */
  readonly package: string;
  /** The catalog's export name. */
  readonly name: string;
  /** Each code, with what it means and what to do. */
  readonly codes: Readonly<Record<string, string>>;
  /** Who raises these codes, and which other catalogs' codes the package passes on. */
  readonly about: string;
  /** The package's reference page, relative to docs/reference/. */
  readonly reference?: string;
}

/** Every catalog, in the order of the page: from the shared codes up to the commands and plugins. */
export const CATALOGS: readonly ErrorCatalog[] = [
  {
    package: "@netscript/contracts",
    name: "STORE_ERROR_CODES",
    codes: STORE_ERROR_CODES,
    about:
      "The codes every store adapter raises (PostgreSQL, Redis, Deno KV), whichever plugin owns the store. `isStoreError(error)` tells them apart; a service answers them `503 SERVICE_UNAVAILABLE`.",
    reference: "contracts.md",
  },
  {
    package: "@netscript/contracts/credential",
    name: "CREDENTIAL_ERROR_CODES",
    codes: CREDENTIAL_ERROR_CODES,
    about:
      "Raised where the workspace's service secret is read: by `netscript dev`, by a guarded service at start, and by the first call of a client that sends service credentials (`@netscript/contracts/credential`).",
    reference: "contracts.md",
  },
  {
    package: "@netscript/service",
    name: "SERVICE_ERROR_CODES",
    codes: SERVICE_ERROR_CODES,
    about: "Raised by `createService()` and `service.serve()`.",
    reference: "service.md",
  },
  {
    package: "@netscript/sdk",
    name: "SDK_ERROR_CODES",
    codes: SDK_ERROR_CODES,
    about:
      "Raised on the calling side by the clients of `defineServices()`, before or instead of an answer.",
    reference: "sdk.md",
  },
  {
    package: "@netscript/plugin",
    name: "PLUGIN_ERROR_CODES",
    codes: PLUGIN_ERROR_CODES,
    about:
      "Raised by `definePlugin(…).build()`, `composeRegistry()`, `definitionFiles()`, `defineConfig()` and `parseDotenv()`, so also by every CLI command that reads plugins or the workspace's `.env`.",
    reference: "plugin.md",
  },
  {
    package: "@netscript/db",
    name: "DB_ERROR_CODES",
    codes: DB_ERROR_CODES,
    about:
      "Raised by `resolveDatabaseUrl()`, `assembleSchema()` and the `Migrator` of `@netscript/db/migrate`, so also by the `netscript db` commands.",
    reference: "../concepts/databases.md",
  },
  {
    package: "@netscript/store",
    name: "STORE_SELECTION_ERROR_CODES",
    codes: STORE_SELECTION_ERROR_CODES,
    about:
      "Raised when a plugin's processes cannot choose their store; its adapters raise the shared `STORE_ERROR_CODES`.",
  },
  {
    package: "@netscript/runtime",
    name: "RUNTIME_ERROR_CODES",
    codes: RUNTIME_ERROR_CODES,
    about:
      "Raised by the kit plugin processes run on: settings from the environment, config topics, shutdown.",
    reference: "runtime.md",
  },
  {
    package: "@netscript/runtime-config",
    name: "CONFIG_ERROR_CODES",
    codes: CONFIG_ERROR_CODES,
    about: "Raised by config topics and their stores, so also by `netscript config`.",
    reference: "runtime-config.md",
  },
  {
    package: "@netscript/aspire",
    name: "ASPIRE_ERROR_CODES",
    codes: ASPIRE_ERROR_CODES,
    about: "Raised by `buildAppHostModel()`, so also by `netscript aspire generate`.",
    reference: "aspire.md",
  },
  {
    package: "@netscript/cli",
    name: "CLI_ERROR_CODES",
    codes: CLI_ERROR_CODES,
    about:
      "Raised by the `netscript` commands themselves. They print `error[CODE]: message` and exit with 1 (`USAGE`: 2); with `--json`, stdout carries `{ ok: false, error: { code, message, … } }`. The commands also pass on the codes of the packages above, and the code of a `NetScriptError` a plugin module throws while it is imported.",
    reference: "cli.md",
  },
  {
    package: "@netscript/plugin-workers-core",
    name: "WORKERS_CORE_ERROR_CODES",
    codes: WORKERS_CORE_ERROR_CODES,
    about:
      "Raised by `defineJob()`, `defineSchedule()`, the job client and the worker; `WORKERS_JOB_TIMEOUT`, `WORKERS_LEASE_LOST` and `WORKERS_SHUTDOWN` reach a job as the reason of its signal. Its store adapters raise the store codes.",
    reference: "workers.md",
  },
  {
    package: "@netscript/plugin-workers",
    name: "WORKERS_ERROR_CODES",
    codes: WORKERS_ERROR_CODES,
    about:
      "Raised by the workers plugin's manifest and processes, besides the codes of `@netscript/plugin-workers-core`, `@netscript/runtime` and the stores.",
    reference: "workers.md",
  },
  {
    package: "@netscript/plugin-streams-core",
    name: "STREAMS_CORE_ERROR_CODES",
    codes: STREAMS_CORE_ERROR_CODES,
    about:
      "Raised by the Durable Streams rules and `createDurableStreamsHandler()`, which answers each code with the HTTP status its entry names and a JSON body `{ code, message }`, and by `createDurableStream()`. Its store adapters raise the store codes.",
    reference: "streams.md",
  },
  {
    package: "@netscript/plugin-streams",
    name: "STREAMS_ERROR_CODES",
    codes: STREAMS_ERROR_CODES,
    about:
      "Raised by the streams plugin's manifest, its manifest-side helpers and `streams-api` at start, besides the codes of `@netscript/plugin-streams-core`, `@netscript/runtime` and the stores.",
    reference: "streams.md",
  },
  {
    package: "@netscript/plugin-triggers-core",
    name: "TRIGGERS_ERROR_CODES",
    codes: TRIGGERS_ERROR_CODES,
    about:
      "Raised by the triggers plugins: the `verify()` of the webhook schemes (`standardWebhooks()`, `github()`, `stripe()`, `hmac()`) and `readWebhookSecret()`, whose refusals `triggers-api` answers 401 before a body is parsed or stored; the builders (`defineWebhook`, `defineCron`) and `defineTriggersPlugin`; the webhook ingress's answers (404, 422, 503); and the dispatcher, whose refusals (`TRIGGERS_SAGAS_MISSING`) fail a delivery. `TRIGGERS_SECRET_*`, the definition and plugin-option codes are the workspace's configuration to fix.",
    reference: "triggers.md",
  },
  {
    package: "@netscript/plugin-triggers",
    name: "TRIGGERS_PLUGIN_ERROR_CODES",
    codes: TRIGGERS_PLUGIN_ERROR_CODES,
    about:
      "Raised by the triggers plugin's manifest, besides the codes of `@netscript/plugin-triggers-core`, `@netscript/runtime` and the stores.",
    reference: "triggers.md",
  },
  {
    package: "@netscript/plugin-sagas-core",
    name: "SAGAS_CORE_ERROR_CODES",
    codes: SAGAS_CORE_ERROR_CODES,
    about:
      "Raised by `defineSaga()`, `sagaCatalog()`, the saga client and the runner; `SAGAS_STEP_FAILED`, `SAGAS_STEP_TIMEOUT`, `SAGAS_SIGNAL_TIMEOUT`, `SAGAS_INVALID_SIGNAL` and `SAGAS_CANCELLED` reach a saga's `run` from its `ctx`. `sagas-api` answers the codes a caller can cause as typed errors of its contract, with the status each entry gives. Its store adapters raise the store codes.",
    reference: "sagas.md",
  },
  {
    package: "@netscript/plugin-sagas",
    name: "SAGAS_PLUGIN_ERROR_CODES",
    codes: SAGAS_PLUGIN_ERROR_CODES,
    about:
      "Raised by the sagas plugin's manifest, besides the codes of `@netscript/plugin-sagas-core`, `@netscript/runtime` and the stores.",
    reference: "sagas.md",
  },
  {
    package: "@netscript/plugin-auth-core",
    name: "AUTH_ERROR_CODES",
    codes: AUTH_ERROR_CODES,
    about:
      "Raised by the auth backends (`@netscript/auth-kv-oauth`, `@netscript/auth-workos`, `@netscript/auth-better-auth`) and `safeRedirectPath()`. `auth-api` answers the sign-in flow's refusals with them: `AUTH_REDIRECT_INVALID` and `AUTH_CALLBACK_INVALID` 400, `AUTH_OPERATION_UNSUPPORTED` 404, `AUTH_PROVIDER_UNAVAILABLE` 503. The setting codes stop `auth-api` at start.",
    reference: "auth.md",
  },
  {
    package: "@netscript/plugin-auth",
    name: "AUTH_PLUGIN_ERROR_CODES",
    codes: AUTH_PLUGIN_ERROR_CODES,
    about:
      "Raised by the auth plugin's manifest and by `auth-api` when it selects its backend, besides the codes of `@netscript/plugin-auth-core`, `@netscript/runtime` and the stores.",
    reference: "auth.md",
  },
];

/**
 * Renders the page.
 *
 * @param catalogs The catalogs, in page order.
 * @param common The contracts' common error map (the errors clients receive).
 * @returns The Markdown of docs/reference/errors.md.
 */
export function renderErrorReference(
  catalogs: readonly ErrorCatalog[] = CATALOGS,
  common: CommonErrorMap = COMMON_ERRORS,
): string {
  const count = catalogs.reduce((sum, catalog) => sum + Object.keys(catalog.codes).length, 0);
  const lines = [
    "<!-- Generated by `deno task docs:errors` from each package's error-code catalog; do not edit. -->",
    "",
    "# Error codes",
    "",
    "Every code NetScript raises, grouped by the package that raises it, with what it",
    `means and what to do: ${count} codes in ${catalogs.length} catalogs.`,
    "",
    "A condition you are expected to handle is a",
    "[`NetScriptError`](contracts.md#netscripterror) with a stable `code`, a message",
    "that names the offending value, and structured `details`. Branch on the code,",
    "never on the message. Each package exports its codes as a typed catalog, so",
    "give the catalog's type and a code outside it does not compile:",
    "",
    "```ts",
    'import { isNetScriptError } from "@netscript/contracts";',
    'import type { PluginErrorCode } from "@netscript/plugin";',
    "",
    "try {",
    "  // …",
    "} catch (error) {",
    '  if (isNetScriptError<PluginErrorCode>(error, "PLUGIN_DUPLICATE_PORT")) {',
    "    console.log(error.details);",
    "  } else throw error;",
    "}",
    "```",
    "",
    "The `netscript` commands print a failure as `error[CODE]: message`. Errors a",
    "service sends its callers are another matter: they are declared in its",
    "contract, and arrive typed ([over the wire](#over-the-wire)).",
    "",
    "| Package | Catalog | Codes |",
    "| --- | --- | --- |",
    ...catalogs.map((catalog) =>
      `| [\`${catalog.package}\`](#${_anchor(catalog.package)}) | \`${catalog.name}\` | ${
        Object.keys(catalog.codes).length
      } |`
    ),
    "",
  ];
  for (const catalog of catalogs) {
    lines.push(`## ${catalog.package}`, "");
    lines.push(
      `\`${catalog.name}\`${
        catalog.reference === undefined ? "" : ` ([reference](${catalog.reference}))`
      }. ${catalog.about}`,
      "",
    );
    lines.push("| Code | What it means, and what to do |", "| --- | --- |");
    for (const [code, meaning] of Object.entries(catalog.codes)) {
      lines.push(`| \`${code}\` | ${_cell(meaning)} |`);
    }
    lines.push("");
  }
  lines.push(
    "## Over the wire",
    "",
    "A service's callers never receive a `NetScriptError`: they receive the errors its",
    "contract declares. Every contract starts from `COMMON_ERRORS` of",
    "`@netscript/contracts` ([when to raise which](contracts.md#common_errors)); a",
    "handler's store error is answered `SERVICE_UNAVAILABLE`, and a body over the",
    "service's limit `413 PAYLOAD_TOO_LARGE`.",
    "",
    "| Code | Status | Default message |",
    "| --- | --- | --- |",
    ...Object.entries(common).map(([code, entry]) =>
      `| \`${code}\` | ${entry.status} | ${_cell(entry.message)} |`
    ),
    "",
  );
  return lines.join("\n");
}

function _anchor(heading: string): string {
  return heading.toLowerCase().replace(/[^a-z0-9 -]/g, "").replace(/ /g, "-");
}

function _cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

if (import.meta.main) {
  const target = new URL("../docs/reference/errors.md", import.meta.url);
  await Deno.writeTextFile(target, renderErrorReference());
  console.log(`wrote ${target.pathname}`);
}
