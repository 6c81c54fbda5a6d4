/**
 * End to end: the AppHost `netscript init` generates, for every store
 * combination, (b) type-checks against the declaration of Aspire 13.5.2's
 * TypeScript SDK, and fails to when it misuses it; (c) run against the
 * recording stand-in, produces a manifest that is valid under Aspire's
 * manifest schema and carries the workspace's resource graph: the same
 * processes, commands, permission flags, ports, variables, waits and parents,
 * the AppHost's NETSCRIPT_SERVICE_SECRET for every process (and in no
 * generated file), and the stores as containers (servers) or nothing (files).
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { join } from "node:path";
import type { DenoResourceOptions } from "@netscript/aspire";
import {
  buildResourceGraph,
  type DataStoreResource,
  type ProcessResource,
  type Registry,
} from "@netscript/plugin";
import {
  type AspireManifest,
  type AspireRelations,
  type ContainerManifestResource,
  type ExecutableManifestResource,
  installRecordingSdk,
  readRecording,
} from "../aspire/testing/mod.ts";
import { loadContributions } from "../cli/src/aspire/load_contributions.ts";
import { readWorkspaceConfig } from "../cli/src/dev/workspace_config.ts";
import {
  checkAppHost,
  danglingExpressions,
  manifestSchemaErrors,
  runAppHost,
} from "./support/aspire.ts";
import { netscript, REPO_ROOT } from "./support/cli.ts";

const HELLO = join(REPO_ROOT, "tests", "fixtures", "hello-plugin");

/** The service secret the AppHost runs with; every process must receive exactly this. */
const SERVICE_SECRET = "e2e-service-secret-of-at-least-32-characters";

/** The files `netscript aspire generate` writes into `aspire/`. */
const GENERATED = [
  ".gitignore",
  "apphost.mts",
  "aspire.config.json",
  "package.json",
  "tsconfig.apphost.json",
];

/** How each server engine must appear in the manifest. */
const SERVERS = {
  postgres: {
    resource: "postgres",
    image: "docker.io/library/postgres:",
    port: 5432,
    uri:
      /^postgresql:\/\/postgres:\{postgres-password-uri-encoded\.value\}@\{postgres\.bindings\.tcp\.host\}:\{postgres\.bindings\.tcp\.port\}\/app$/,
  },
  mysql: {
    resource: "mysql",
    image: "docker.io/library/mysql:",
    port: 3306,
    uri:
      /^mysql:\/\/root:\{mysql-password-uri-encoded\.value\}@\{mysql\.bindings\.tcp\.host\}:\{mysql\.bindings\.tcp\.port\}\/app$/,
  },
  mssql: {
    resource: "sqlserver",
    image: "mcr.microsoft.com/mssql/server:",
    port: 1433,
    uri:
      /^mssql:\/\/sa:\{sqlserver-password-uri-encoded\.value\}@\{sqlserver\.bindings\.tcp\.host\}:\{sqlserver\.bindings\.tcp\.port\}\/app$/,
  },
  redis: {
    resource: "cache",
    image: "docker.io/library/redis:",
    port: 6379,
    uri:
      /^\{cache\.bindings\.tcp\.scheme\}:\/\/:\{cache-password-uri-encoded\.value\}@\{cache\.bindings\.tcp\.host\}:\{cache\.bindings\.tcp\.port\}$/,
  },
  garnet: {
    resource: "cache",
    image: "ghcr.io/microsoft/garnet:",
    port: 6379,
    uri:
      /^redis:\/\/:\{cache-password-uri-encoded\.value\}@\{cache\.bindings\.tcp\.host\}:\{cache\.bindings\.tcp\.port\}$/,
  },
} as const;

/** The variables `withReference` adds for a server store besides its `_URI` (Aspire's connection properties). */
const SPLATTED = {
  db: [
    "ConnectionStrings__db",
    "DB_HOST",
    "DB_PORT",
    "DB_USERNAME",
    "DB_PASSWORD",
    "DB_DATABASENAME",
    "DB_JDBCCONNECTIONSTRING",
  ],
  cache: ["ConnectionStrings__cache", "CACHE_HOST", "CACHE_PORT", "CACHE_PASSWORD"],
} as const;

/** Misuses of the SDK, each of which `deno check` must report with its own diagnostic. */
const MISUSES = [
  {
    name: "unknown-option",
    from: "withHttpEndpoint({ port:",
    to: "withHttpEndpoint({ prot:",
    code: "TS2353",
  },
  {
    name: "misspelt-method",
    from: ".withHttpHealthCheck(",
    to: ".withHttpHealtCheck(",
    code: "TS2551",
  },
  {
    name: "unknown-enum-member",
    from: "OtlpProtocol.HttpProtobuf",
    to: "OtlpProtocol.HttpProtobuff",
    code: "TS2551",
  },
  {
    name: "string-for-enum",
    from: "protocol: OtlpProtocol.HttpProtobuf",
    to: 'protocol: "HttpProtobuf"',
    code: "TS2322",
  },
  {
    name: "non-string-env",
    from: '.withEnvironment("OTEL_DENO", "true")',
    to: '.withEnvironment("OTEL_DENO", true)',
    code: "TS2345",
  },
  {
    name: "wait-for-endpoint",
    from: ".waitFor(helloApi)",
    to: ".waitFor(helloApiHttp)",
    code: "TS2345",
  },
] as const;

const COMBINATIONS = [
  ["postgres", "redis"],
  ["mysql", "garnet"],
  ["mssql", "redis"],
  ["sqlite", "deno-kv"],
] as const;

for (const [db, cache] of COMBINATIONS) {
  Deno.test(`the generated AppHost (${db}, ${cache}) type-checks against Aspire's SDK and records the resource graph`, async (t) => {
    const parent = await Deno.makeTempDir({ prefix: `netscript-aspire-e2e-${db}-` });
    try {
      const run = await netscript(
        [
          "init",
          "app",
          "--db",
          db,
          "--cache-backend",
          cache,
          "--link",
          REPO_ROOT,
          "--plugins",
          HELLO,
        ],
        parent,
      );
      equal(run.code, 0, run.stderr);
      const root = join(parent, "app");
      const appHost = join(root, "aspire");
      const source = await Deno.readTextFile(join(appHost, "apphost.mts"));
      await installRecordingSdk(appHost);

      await t.step("(b) apphost.mts type-checks against the SDK declaration", async () => {
        const check = await checkAppHost(appHost, ["apphost.mts"]);
        ok(check.success, check.output);
      });

      await t.step(
        "(b) each misuse of the SDK fails the type-check with its own error",
        async () => {
          const files = [];
          for (const misuse of MISUSES) {
            ok(source.includes(misuse.from), `apphost.mts no longer contains ${misuse.from}`);
            const file = `misuse-${misuse.name}.mts`;
            await Deno.writeTextFile(join(appHost, file), source.replace(misuse.from, misuse.to));
            files.push(file);
          }
          const check = await checkAppHost(appHost, files);
          ok(!check.success, "deno check accepted every misuse");
          const diagnostics = [
            ...check.output.matchAll(
              /(TS\d+) \[ERROR\][\s\S]*?at file:\/\/\S*\/(misuse-[\w-]+)\.mts:/g,
            ),
          ]
            .map((m) => `${m[2]} ${m[1]}`).sort();
          deepEqual(
            diagnostics,
            MISUSES.map((m) => `misuse-${m.name} ${m.code}`).sort(),
            check.output,
          );
        },
      );

      await t.step(
        "(c) the recorded manifest is valid and matches the resource graph",
        async () => {
          const result = await runAppHost(appHost, { NETSCRIPT_SERVICE_SECRET: SERVICE_SECRET });
          ok(result.success, result.output);
          for (const file of GENERATED) {
            const text = await Deno.readTextFile(join(appHost, file));
            ok(!text.includes(SERVICE_SECRET), `${file} holds the service secret`);
          }
          const { manifest, relations } = await readRecording(appHost);
          deepEqual(await manifestSchemaErrors(manifest), []);
          deepEqual(danglingExpressions(manifest), []);

          const config = await readWorkspaceConfig(root);
          const registry: Registry = JSON.parse(
            await Deno.readTextFile(join(root, ".netscript", "registry.json")),
          );
          const graph = buildResourceGraph(config, registry);
          const contributions = Object.values(await loadContributions(root, registry)).flat();
          const stores = graph.resources.filter((r): r is DataStoreResource => r.kind === "store");
          const processes = graph.resources.filter((r): r is ProcessResource => r.kind !== "store");

          const executables = Object.entries(manifest.resources)
            .filter(([, r]) => r.type === "executable.v0");
          deepEqual(executables.map(([name]) => name).sort(), processes.map((p) => p.name).sort());
          for (const process of processes) {
            const options = contributions.find((c) => c.name === process.name)?.options ?? {};
            _assertProcess(process, manifest, relations, stores, processes, options);
          }
          await _assertStores(stores, manifest, relations, root);
        },
      );
    } finally {
      await Deno.remove(parent, { recursive: true });
    }
  });
}

/** One process: command, arguments, port, variables, telemetry, health, waits and parent. */
function _assertProcess(
  process: ProcessResource,
  manifest: AspireManifest,
  relations: AspireRelations,
  stores: readonly DataStoreResource[],
  processes: readonly ProcessResource[],
  options: DenoResourceOptions,
): void {
  const entry = manifest.resources[process.name] as ExecutableManifestResource;
  const servers = stores.filter((s) => !s.embedded);
  equal(entry.command, "deno");
  equal(entry.workingDirectory, "..");
  const args = entry.args ?? [];
  equal(args[0], "run");
  equal(args.at(-1), process.entrypoint);
  _assertFlags(process.name, args.slice(1, -1), process.flags, servers);

  if (process.kind === "service") {
    const http = entry.bindings?.["http"];
    ok(http, `${process.name} has no http binding`);
    deepEqual(
      {
        scheme: http.scheme,
        transport: http.transport,
        port: http.port ?? http.targetPort,
        targetPort: http.targetPort,
      },
      { scheme: "http", transport: "http", port: process.port, targetPort: process.port },
    );
  } else {
    equal(entry.bindings, undefined);
  }

  const env = entry.env ?? {};
  const expected = new Set([
    ...Object.keys(process.env).filter((k) => k !== "OTEL_SERVICE_NAME"),
    "OTEL_DENO",
    "NETSCRIPT_SERVICE_SECRET",
    ...Object.keys(options.env ?? {}),
    ...servers.flatMap((s) => SPLATTED[s.name]),
  ]);
  deepEqual(Object.keys(env).sort(), [...expected].sort(), `${process.name}'s variables`);
  equal(env["OTEL_DENO"], "true");
  equal(env["NETSCRIPT_SERVICE_SECRET"], SERVICE_SECRET, `${process.name}'s service secret`);
  for (const [key, value] of Object.entries(options.env ?? {})) equal(env[key], value);
  for (const [key, value] of Object.entries(process.env)) {
    if (key === "OTEL_SERVICE_NAME") continue;
    const service = processes.find((p) =>
      p.port !== undefined && value === `http://localhost:${p.port}`
    );
    const server = servers.find((s) => `${s.name.toUpperCase()}_URI` === key);
    if (key === "PORT") equal(env[key], `{${process.name}.bindings.http.targetPort}`);
    else if (service) {
      equal(env[key], `{${service.name}.bindings.http.url}`, `${process.name} ${key}`);
    } else if (server) match(env[key]!, SERVERS[server.engine as keyof typeof SERVERS].uri);
    else equal(env[key], value, `${process.name} ${key}`);
  }
  if (process.kind === "processor") {
    equal(env["WORKER_CONCURRENCY"], process.env["WORKER_CONCURRENCY"]);
  }

  const relation = relations[process.name] ?? {};
  // Aspire sets OTEL_SERVICE_NAME (and the exporter's endpoint) for resources with an OTLP exporter.
  equal(relation.otlp, "http/protobuf");
  equal(relation.health, process.health);
  const embedded = new Set<string>(stores.filter((s) => s.embedded).map((s) => s.name));
  deepEqual(
    [...(relation.waitFor ?? [])].sort(),
    [...new Set([...process.waitFor, ...(options.waitFor ?? [])])].filter((w) => !embedded.has(w))
      .sort(),
    `${process.name} waits`,
  );
  equal(relation.parent, process.parent);
}

/**
 * The flags are the graph's, except that under Aspire the server stores are
 * containers on ports Aspire picks: their `host:port` grants (and the
 * `localhost:<port>` ones) give way to the host `localhost`.
 */
function _assertFlags(
  name: string,
  flags: readonly string[],
  graphFlags: readonly string[],
  servers: readonly DataStoreResource[],
): void {
  const isNet = (f: string) => f.startsWith("--allow-net=");
  deepEqual(flags.filter((f) => !isNet(f)), graphFlags.filter((f) => !isNet(f)), `${name}'s flags`);
  const hosts = (all: readonly string[]) =>
    new Set(all.find(isNet)?.slice("--allow-net=".length).split(","));
  const granted = hosts(flags);
  const wanted = hosts(graphFlags);
  const addresses = new Set(servers.map((s) => s.address));
  for (const host of wanted) {
    if (addresses.has(host)) {
      ok(!granted.has(host), `${name} still grants the local server ${host}`);
    } else if (servers.length > 0 && host.startsWith("localhost:")) ok(granted.has("localhost"));
    else ok(granted.has(host), `${name} lost ${host}`);
  }
  for (const host of granted) {
    ok(wanted.has(host) || (host === "localhost" && servers.length > 0), `${name} gained ${host}`);
  }
  if (servers.length > 0) ok(granted.has("localhost"), `${name} cannot reach the containers`);
}

/** Server stores are containers (a database on its server); embedded stores are files, not resources. */
async function _assertStores(
  stores: readonly DataStoreResource[],
  manifest: AspireManifest,
  relations: AspireRelations,
  root: string,
): Promise<void> {
  const names = Object.keys(manifest.resources);
  for (const store of stores) {
    if (store.embedded) {
      ok(!names.includes(store.name), `${store.name} is a file, not a resource`);
      continue;
    }
    const server = SERVERS[store.engine as keyof typeof SERVERS];
    const container = manifest.resources[server.resource] as ContainerManifestResource;
    equal(container.type, "container.v0");
    ok(container.image.startsWith(server.image), container.image);
    equal(container.bindings?.["tcp"]?.targetPort, server.port);
    ok(manifest.resources[`${server.resource}-password`]?.type === "parameter.v0");
    if (store.name === "db") {
      deepEqual(manifest.resources["db"], {
        type: "value.v0",
        connectionString: `{${server.resource}.connectionString};${
          store.engine === "mssql" ? "Initial Catalog" : "Database"
        }=app`,
      });
    } else {
      equal(relations["cache"]?.httpsCertificate, false);
    }
  }
  const others = Object.entries(manifest.resources)
    .filter(([, r]) => r.type !== "executable.v0")
    .map(([name]) => name.replace(/^cond-.*$/, "cond-*"));
  const allowed = stores.filter((s) => !s.embedded).flatMap((s) => {
    const server = SERVERS[s.engine as keyof typeof SERVERS].resource;
    return [s.name, server, `${server}-password`, `${server}-password-uri-encoded`, "cond-*"];
  });
  for (const name of others) ok(allowed.includes(name), `unexpected resource ${name}`);
  if (stores.some((s) => s.embedded)) {
    ok((await Deno.stat(join(root, ".netscript", "data"))).isDirectory);
  }
}
