/**
 * The plugin packages the benchmark workspace is built with, written to disk
 * by the benchmark itself. Each package mirrors a real plugin package: a
 * `deno.json`, a manifest built with `definePlugin`, a service built with
 * `createService` on a contract from `@netscript/contracts`, optionally a
 * background processor doing a small periodic job, and a `scaffold/` folder
 * of thin entrypoints that `netscript init --plugins` copies into the
 * workspace.
 *
 * @module
 */
import { dirname, join } from "node:path";

/** One generated plugin. */
export interface BenchPlugin {
  /** The plugin name; its resources are `<name>-api` and `<name>-worker`. */
  name: string;
  /** The service's default port. */
  port: number;
  /** Whether the plugin also runs a background processor. */
  processor: boolean;
}

/**
 * The benchmark's plugins: two with a service and a processor, one with a
 * service only, so five plugin resources in all.
 */
export const BENCH_PLUGINS: readonly BenchPlugin[] = [
  { name: "alpha", port: 8291, processor: true },
  { name: "beta", port: 8292, processor: true },
  { name: "gamma", port: 8293, processor: false },
];

/**
 * Every resource `netscript dev` runs in the benchmark workspace: the app's
 * service, each plugin service and each processor.
 */
export const BENCH_RESOURCES: readonly string[] = [
  "api",
  ...BENCH_PLUGINS.map((p) => `${p.name}-api`),
  ...BENCH_PLUGINS.filter((p) => p.processor).map((p) => `${p.name}-worker`),
];

/**
 * Writes a plugin package into `parent/plugin-<name>/`.
 *
 * @param parent The folder to write the package into.
 * @param plugin The plugin to write.
 * @returns The package folder, for `netscript init --plugins`.
 */
export async function writePluginPackage(parent: string, plugin: BenchPlugin): Promise<string> {
  const folder = join(parent, `plugin-${plugin.name}`);
  for (const [path, text] of Object.entries(_pluginFiles(plugin))) {
    await Deno.mkdir(dirname(join(folder, path)), { recursive: true });
    await Deno.writeTextFile(join(folder, path), text);
  }
  return folder;
}

/** The files of a plugin package, by path inside the package. */
function _pluginFiles(plugin: BenchPlugin): Record<string, string> {
  const pkg = `@bench/plugin-${plugin.name}`;
  const files: Record<string, string> = {
    "deno.json": `${
      JSON.stringify(
        {
          name: pkg,
          version: "0.1.0",
          exports: {
            ".": "./mod.ts",
            "./service": "./service.ts",
            ...(plugin.processor ? { "./worker": "./worker.ts" } : {}),
          },
        },
        null,
        2,
      )
    }\n`,
    "mod.ts": _manifestModule(plugin),
    "service.ts": _serviceModule(plugin),
    "scaffold/plugin.ts": `import { manifest } from "${pkg}";\n\nexport default manifest;\n`,
    "scaffold/services/main.ts": `import { service } from "${pkg}/service";\n\nservice.serve();\n`,
  };
  if (plugin.processor) {
    files["worker.ts"] = _workerModule(plugin);
    files["scaffold/bin/worker.ts"] = `import { runWorker } from "${pkg}/worker";\n\n` +
      `await runWorker();\n`;
  }
  return files;
}

function _manifestModule(plugin: BenchPlugin): string {
  const processor = plugin.processor
    ? `  .withBackgroundProcessor({ name: "${plugin.name}-worker", entrypoint: "./bin/worker.ts" })\n`
    : "";
  return `import { definePlugin } from "@netscript/plugin";

/** The ${plugin.name} plugin's manifest; \`scaffold/plugin.ts\` default-exports it. */
export const manifest = definePlugin("${plugin.name}", "0.1.0")
  .withType("${plugin.processor ? "background-processor" : "service"}")
  .withService({ name: "${plugin.name}-api", entrypoint: "./services/main.ts", port: ${plugin.port} })
${processor}  .withContractVersions([{ version: "v1", loader: () => import("./service.ts") }])
  .build();
`;
}

function _serviceModule(plugin: BenchPlugin): string {
  return `import { baseContract } from "@netscript/contracts";
import { createService, implement, type Service } from "@netscript/service";
import { z } from "zod";

/** The ${plugin.name} API's contract. */
export const contract = {
  echo: baseContract
    .route({ method: "GET", path: "/echo", summary: "Echo a text" })
    .input(z.object({ text: z.string() }))
    .output(z.object({ text: z.string(), from: z.string() })),
};

const os = implement(contract);

/** The ${plugin.name} API. */
export const service: Service = createService({
  name: "${plugin.name}-api",
  version: "0.1.0",
  contract,
  router: os.router({
    echo: os.echo.handler(({ input }) => ({ text: input.text, from: "${plugin.name}" })),
  }),
});
`;
}

function _workerModule(plugin: BenchPlugin): string {
  return `import { createLogger } from "@netscript/telemetry";

/** Hashes a counter every second and logs the digest, until SIGINT or SIGTERM. */
export function runWorker(): Promise<void> {
  const log = createLogger({ service: "${plugin.name}-worker" });
  let count = 0;
  const timer = setInterval(async () => {
    const data = new TextEncoder().encode(String(++count));
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
    log.info("job done", { count, digest: digest.slice(0, 4).join(".") });
  }, 1_000);
  return new Promise((resolve) => {
    const stop = () => {
      clearInterval(timer);
      resolve();
    };
    Deno.addSignalListener("SIGINT", stop);
    Deno.addSignalListener("SIGTERM", stop);
  });
}
`;
}
