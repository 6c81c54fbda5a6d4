import { z } from "zod";
import { formatIssues, NetScriptError } from "@netscript/contracts/errors";
import { dashboardPanelSchema } from "./dashboard_panel_schema.ts";
import { DB_ENGINES, PLUGIN_TYPES, type PluginManifest } from "./manifest.ts";
import { DenoPermissionsSchema } from "./permissions.ts";
import type { PluginErrorCode } from "./plugin_error_codes.ts";
import { PLUGIN_NAME_PATTERN, pluginSlug } from "./plugin_name.ts";

const NAME = /^[a-z][a-z0-9-]{0,62}$/;
const FOLDER = /^[a-z][a-z0-9_]{0,62}$/;
const KIND = /^[a-z][a-z0-9-]{0,62}$/;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]{0,127}$/;

/**
 * Folder names no plugin may read definitions from: the workspace's own
 * folders, and the names a generated definitions module exports besides
 * its folders' lists (`plugin`, `definitions`).
 */
export const RESERVED_DEFINITION_FOLDERS: ReadonlySet<string> = new Set([
  "aspire",
  "contracts",
  "database",
  "definitions",
  "node_modules",
  "plugin",
  "plugins",
  "services",
  "tests",
]);
const TOPIC = /^[a-z][a-z0-9._-]{0,127}$/;
/** A span namespace `@netscript/telemetry`'s `configureTelemetry` accepts. */
const NAMESPACE = /^[a-z][a-z0-9._-]{0,62}$/;
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

const name = z.string().regex(NAME, {
  message: "must be 1-63 lowercase letters, digits or dashes, starting with a letter",
});
const pluginName = z.string().regex(PLUGIN_NAME_PATTERN, {
  message:
    'must be a package name such as "@acme/plugin-billing" or a bare name such as "billing" (lowercase letters, digits and dashes)',
}).refine((value) => {
  try {
    pluginSlug(value);
    return true;
  } catch {
    return false;
  }
}, { message: 'must leave a name after the scope and "plugin-", e.g. "@acme/plugin-billing"' });
const topic = z.string().regex(TOPIC, {
  message: "must be lowercase letters, digits, dots, dashes or underscores, starting with a letter",
});

function relativePath(extensions: readonly string[]) {
  return z.string().refine(
    (path) =>
      path.startsWith("./") && !path.split("/").includes("..") && !path.includes("\\") &&
      extensions.some((extension) => path.endsWith(extension)),
    {
      message: `must be a path inside the plugin folder starting with "./" and ending in ${
        extensions.join(" or ")
      }`,
    },
  );
}

const entrypoint = relativePath([".ts", ".tsx", ".js", ".mjs", ".mts"]);

const serviceSchema = z.strictObject({
  name,
  entrypoint,
  port: z.number({ message: "must be a number" }).int({ message: "must be an integer" }).min(1, {
    message: "must be a port from 1 to 65535",
  }).max(65_535, { message: "must be a port from 1 to 65535" }),
  permissions: DenoPermissionsSchema.optional(),
});

const processorSchema = z.strictObject({
  name,
  entrypoint,
  concurrency: z.number().int({ message: "must be an integer" }).min(1, {
    message: "must be at least 1",
  }).max(1_000, { message: "must be at most 1000" }).optional(),
  permissions: DenoPermissionsSchema.optional(),
});

/**
 * Validates a manifest's data. With `loaders: false` it accepts the JSON form
 * (contract versions without their loader functions), as read back from a
 * subprocess or a snapshot.
 */
function manifestSchema(loaders: boolean) {
  return z.strictObject({
    name: pluginName,
    version: z.string().regex(SEMVER, { message: "must be a semantic version such as 1.2.0" }),
    type: z.enum(PLUGIN_TYPES, { message: `must be one of ${PLUGIN_TYPES.join(", ")}` }),
    services: z.array(serviceSchema),
    processors: z.array(processorSchema),
    dbSchemas: z.array(
      z.strictObject({
        path: relativePath([".prisma"]),
        engine: z.enum(DB_ENGINES, { message: `must be one of ${DB_ENGINES.join(", ")}` }),
      }),
    ),
    definitions: z.array(z.strictObject({
      folder: z.string().regex(FOLDER, {
        message:
          "must be a folder name of lowercase letters, digits or underscores, starting with a letter",
      }).refine((folder) => !RESERVED_DEFINITION_FOLDERS.has(folder), {
        message: `must not be one of the reserved folder names (${
          [...RESERVED_DEFINITION_FOLDERS].join(", ")
        })`,
      }),
      kind: z.string().regex(KIND, {
        message: "must be lowercase letters, digits or dashes, starting with a letter",
      }),
      builder: z.union([
        z.string().regex(IDENTIFIER, { message: "must be a function name" }),
        z.array(z.string().regex(IDENTIFIER, { message: "must be a function name" })).min(1),
      ]).optional(),
    })),
    streamTopics: z.array(
      z.strictObject({ name: topic, schemaPath: relativePath([".json"]) }),
    ),
    runtimeConfigTopics: z.array(
      z.strictObject({ name: topic, schemaPath: relativePath([".json"]) }),
    ),
    contractVersions: z.array(
      z.strictObject({
        version: z.string().regex(/^v[1-9][0-9]*$/, { message: "must be v1, v2, …" }),
        loader: loaders
          ? z.custom<() => Promise<unknown>>((value) => typeof value === "function", {
            message: "must be a function that imports the contract module",
          })
          : z.undefined().optional(),
      }),
    ),
    dashboardPanels: z.array(dashboardPanelSchema),
    telemetry: z.strictObject({
      namespace: z.string().regex(NAMESPACE, {
        message:
          "must be 1-63 lowercase letters, digits, dots, dashes or underscores, starting with a letter",
      }),
      resourceAttributes: z.record(z.string(), z.string()).optional(),
    }).optional(),
    aspire: relativePath([".ts", ".mts"]).optional(),
    requires: z.array(pluginName).optional(),
  }).superRefine((manifest, context) => {
    const unique = (
      label: string,
      path: string,
      values: readonly (string | number)[],
    ) => {
      const seen = new Map<string | number, number>();
      values.forEach((value, index) => {
        if (seen.has(value)) {
          context.addIssue({
            code: "custom",
            path: [path, index],
            message: `repeats ${label} ${JSON.stringify(value)} (already at ${path}[${
              seen.get(value)
            }])`,
          });
        } else seen.set(value, index);
      });
    };
    unique("the name", "services", manifest.services.map((s) => s.name));
    unique("the port", "services", manifest.services.map((s) => s.port));
    unique("the name", "processors", manifest.processors.map((p) => p.name));
    const serviceNames = new Set(manifest.services.map((s) => s.name));
    manifest.processors.forEach((processor, index) => {
      if (serviceNames.has(processor.name)) {
        context.addIssue({
          code: "custom",
          path: ["processors", index, "name"],
          message:
            `repeats the name of a service ("${processor.name}"); resource names must differ`,
        });
      }
    });
    unique("the topic", "streamTopics", manifest.streamTopics.map((t) => t.name));
    unique("the folder", "definitions", manifest.definitions.map((d) => d.folder));
    unique("the topic", "runtimeConfigTopics", manifest.runtimeConfigTopics.map((t) => t.name));
    unique("the version", "contractVersions", manifest.contractVersions.map((c) => c.version));
    unique("the path", "dbSchemas", manifest.dbSchemas.map((d) => d.path));
    unique("the id", "dashboardPanels", manifest.dashboardPanels.map((p) => p.id));
    manifest.dashboardPanels.forEach((panel, index) => {
      if (serviceNames.has(panel.service)) return;
      context.addIssue({
        code: "custom",
        path: ["dashboardPanels", index, "service"],
        message:
          `of panel "${panel.id}" names "${panel.service}", which is not a service of this plugin; ${
            serviceNames.size === 0
              ? "a panel shows its own plugin's service, and this plugin declares none (withService())"
              : `use one of ${[...serviceNames].map((name) => `"${name}"`).join(", ")}`
          }`,
      });
    });
    unique("the plugin", "requires", manifest.requires ?? []);
    if (manifest.requires?.includes(manifest.name)) {
      context.addIssue({
        code: "custom",
        path: ["requires"],
        message: "must not name the plugin itself",
      });
    }
  });
}

const BUILT = manifestSchema(true);
const SERIALISED = manifestSchema(false);

/** One problem in a manifest: where, and what is wrong. */
export interface ManifestIssue {
  /** The field, e.g. `services[0].port`. */
  path: string;
  /** What is wrong with it and what it must be. */
  message: string;
}

/**
 * Validates manifest data and throws a structured error listing every
 * problem with the path of its field.
 *
 * @param data The manifest data.
 * @param options Whether loader functions are present (`false` for JSON),
 * and the manifest file to name in the message.
 * @returns The data, typed.
 * @throws {NetScriptError} `PLUGIN_INVALID_MANIFEST`.
 */
export function validateManifest(
  data: unknown,
  options: { loaders: boolean; file?: string | undefined },
): PluginManifest {
  const result = (options.loaders ? BUILT : SERIALISED).safeParse(data, { reportInput: true });
  if (result.success) return result.data as PluginManifest;
  const issues: ManifestIssue[] = formatIssues(result.error.issues, { root: "(manifest)" });
  const plugin = typeof (data as { name?: unknown })?.name === "string"
    ? (data as { name: string }).name
    : undefined;
  const where = options.file ?? "the plugin's plugin.ts";
  throw new NetScriptError<PluginErrorCode>(
    "PLUGIN_INVALID_MANIFEST",
    `Invalid manifest${plugin === undefined ? "" : ` for plugin "${plugin}"`}: ${
      issues.map((issue) => `${issue.path} ${issue.message}`).join("; ")
    }; fix the definePlugin() call in ${where}`,
    { details: { plugin, file: options.file, issues } },
  );
}
