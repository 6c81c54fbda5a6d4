import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import type * as Sdk from "../sdk/aspire-13.5.2.d.mts";
import { conditionalName } from "./expressions.ts";
import {
  type ContainerManifestResource,
  createRecordingBuilder,
  type ExecutableManifestResource,
  OtlpProtocol,
  readRecording,
  type Recording,
  SDK_DECLARATION,
  WaitBehavior,
} from "./mod.ts";
import { xxHash32 } from "./xxhash32.ts";

/** Builds an AppHost with a recording builder, runs it, and returns what it wrote. */
async function record(
  declare: (builder: Sdk.DistributedApplicationBuilder) => Promise<unknown>,
): Promise<Recording> {
  const dir = await Deno.makeTempDir({ prefix: "netscript-recording-" });
  try {
    const appHost = join(dir, "aspire");
    await Deno.mkdir(appHost);
    const builder = createRecordingBuilder({
      appHostDirectory: appHost,
      manifestPath: join(appHost, "aspire-manifest.json"),
    });
    await declare(builder);
    await builder.build().run();
    return await readRecording(appHost);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function envOf(recording: Recording, name: string): Record<string, string> {
  return (recording.manifest.resources[name] as ExecutableManifestResource).env ?? {};
}

Deno.test("the SDK declaration exists for the pinned ASPIRE_VERSION", async () => {
  const stat = await Deno.stat(SDK_DECLARATION).catch(() => undefined);
  ok(
    stat?.isFile,
    `${SDK_DECLARATION.pathname} is missing: declare the SDK of the new Aspire version`,
  );
});

Deno.test("xxHash32 and conditional names match .NET's and Aspire's", () => {
  equal(xxHash32(new Uint8Array()), "02cc5d05");
  equal(xxHash32(new TextEncoder().encode("abc")), "32d153ff");
  equal(
    conditionalName("{redis.bindings.tcp.tlsEnabled}", ",ssl=true", "", "True"),
    "cond-redis-bindings-tcp-tlsenabled-d148d83a",
  );
});

Deno.test("a database reference sets ConnectionStrings__ and the connection properties", async (t) => {
  const cases = [
    {
      add: (b: Sdk.DistributedApplicationBuilder) =>
        b.addPostgres("pg").addDatabase("db", { databaseName: "app" }),
      env: {
        ConnectionStrings__db: "{db.connectionString}",
        DB_HOST: "{pg.bindings.tcp.host}",
        DB_PORT: "{pg.bindings.tcp.port}",
        DB_USERNAME: "postgres",
        DB_PASSWORD: "{pg-password.value}",
        DB_URI:
          "postgresql://postgres:{pg-password-uri-encoded.value}@{pg.bindings.tcp.host}:{pg.bindings.tcp.port}/app",
        DB_JDBCCONNECTIONSTRING:
          "jdbc:postgresql://{pg.bindings.tcp.host}:{pg.bindings.tcp.port}/app",
        DB_DATABASENAME: "app",
      },
      database: "{pg.connectionString};Database=app",
    },
    {
      add: (b: Sdk.DistributedApplicationBuilder) =>
        b.addMySql("pg").addDatabase("db", { databaseName: "db#test" }),
      env: {
        ConnectionStrings__db: "{db.connectionString}",
        DB_HOST: "{pg.bindings.tcp.host}",
        DB_PORT: "{pg.bindings.tcp.port}",
        DB_USERNAME: "root",
        DB_PASSWORD: "{pg-password.value}",
        DB_URI:
          "mysql://root:{pg-password-uri-encoded.value}@{pg.bindings.tcp.host}:{pg.bindings.tcp.port}/db%23test",
        DB_JDBCCONNECTIONSTRING:
          "jdbc:mysql://{pg.bindings.tcp.host}:{pg.bindings.tcp.port}/db%23test",
        DB_DATABASENAME: "db#test",
      },
      database: "{pg.connectionString};Database=db#test",
    },
    {
      add: (b: Sdk.DistributedApplicationBuilder) => b.addSqlServer("pg").addDatabase("db"),
      env: {
        ConnectionStrings__db: "{db.connectionString}",
        DB_HOST: "{pg.bindings.tcp.host}",
        DB_PORT: "{pg.bindings.tcp.port}",
        DB_USERNAME: "sa",
        DB_PASSWORD: "{pg-password.value}",
        DB_URI:
          "mssql://sa:{pg-password-uri-encoded.value}@{pg.bindings.tcp.host}:{pg.bindings.tcp.port}/db",
        DB_JDBCCONNECTIONSTRING:
          "jdbc:sqlserver://{pg.bindings.tcp.host}:{pg.bindings.tcp.port};databaseName=db;trustServerCertificate=true",
        DB_DATABASENAME: "db",
      },
      database: "{pg.connectionString};Initial Catalog=db",
    },
  ];
  for (const { add, env, database } of cases) {
    await t.step(database, async () => {
      const recording = await record(async (b) => {
        const db = await add(b);
        await b.addExecutable("api", "deno", "..", ["run", "main.ts"]).withReference(db);
      });
      deepEqual(envOf(recording, "api"), env);
      deepEqual(recording.manifest.resources["db"], {
        type: "value.v0",
        connectionString: database,
      });
      equal(recording.manifest.resources["pg-password-uri-encoded"]?.type, "annotated.string");
    });
  }
});

Deno.test("cache references use each integration's URI; connectionName renames the variables", async () => {
  const recording = await record(async (b) => {
    const redis = await b.addRedis("cache").withoutHttpsCertificate();
    const garnet = await b.addGarnet("kv-store", { port: 6380 });
    await b.addExecutable("worker", "deno", "..", [])
      .withReference(redis)
      .withReference(garnet, { connectionName: "fast-kv" });
  });
  deepEqual(envOf(recording, "worker"), {
    ConnectionStrings__cache: "{cache.connectionString}",
    CACHE_HOST: "{cache.bindings.tcp.host}",
    CACHE_PORT: "{cache.bindings.tcp.port}",
    CACHE_PASSWORD: "{cache-password.value}",
    CACHE_URI:
      "{cache.bindings.tcp.scheme}://:{cache-password-uri-encoded.value}@{cache.bindings.tcp.host}:{cache.bindings.tcp.port}",
    "ConnectionStrings__fast-kv": "{kv-store.connectionString}",
    FAST_KV_HOST: "{kv-store.bindings.tcp.host}",
    FAST_KV_PORT: "{kv-store.bindings.tcp.port}",
    FAST_KV_PASSWORD: "{kv-store-password.value}",
    FAST_KV_URI:
      "redis://:{kv-store-password-uri-encoded.value}@{kv-store.bindings.tcp.host}:{kv-store.bindings.tcp.port}",
  });
  const cache = recording.manifest.resources["cache"];
  deepEqual(cache, {
    type: "container.v0",
    connectionString:
      "{cache.bindings.tcp.host}:{cache.bindings.tcp.port},password={cache-password.value}{cond-cache-bindings-tcp-tlsenabled-3eddb73a.connectionString}",
    image: "docker.io/library/redis:8.6",
    entrypoint: "/bin/sh",
    args: ["-c", "redis-server --requirepass $REDIS_PASSWORD"],
    env: { REDIS_PASSWORD: "{cache-password.value}" },
    bindings: { tcp: { scheme: "redis", protocol: "tcp", transport: "tcp", targetPort: 6379 } },
  });
  deepEqual((recording.manifest.resources["kv-store"] as ContainerManifestResource).bindings, {
    tcp: { scheme: "tcp", protocol: "tcp", transport: "tcp", port: 6380, targetPort: 6379 },
  });
  deepEqual(recording.relations["cache"], { httpsCertificate: false });
});

Deno.test("endpoint and URI references set the service variables; endpoints bind as Aspire resolves them", async () => {
  const recorded = await record(async (b) => {
    const api = await b.addExecutable("hello-api", "deno", "..", [])
      .withHttpEndpoint({ port: 8190, targetPort: 8190, env: "PORT", isProxied: false })
      .withHttpHealthCheck({ path: "/health" })
      .withOtlpExporter({ protocol: OtlpProtocol.HttpProtobuf });
    const other = await b.addExecutable("b2", "deno", "..", []).withHttpEndpoint({ env: "PORT" });
    const http = await api.getEndpoint("http");
    await b.addExecutable("ticker", "deno", "..", [])
      .withReference(http)
      .withReference(api.getEndpoint("http"))
      .withReference(other.getEndpoint("http"))
      .withReference("https://example.com", { name: "ext" })
      .withEnvironment("API_URL", http)
      .waitFor(api, { waitBehavior: WaitBehavior.StopOnResourceUnavailable })
      .withParentRelationship(api)
      .withOtlpExporter();
  });
  deepEqual(envOf(recorded, "ticker"), {
    HELLO_API_HTTP: "{hello-api.bindings.http.url}",
    "services__hello-api__http__0": "{hello-api.bindings.http.url}",
    "services__hello-api__http__1": "{hello-api.bindings.http.url}",
    B2_HTTP: "{b2.bindings.http.url}",
    services__b2__http__0: "{b2.bindings.http.url}",
    services__ext__default__0: "https://example.com/",
    ext: "https://example.com/",
    API_URL: "{hello-api.bindings.http.url}",
  });
  deepEqual(recorded.manifest.resources["hello-api"], {
    type: "executable.v0",
    workingDirectory: "..",
    command: "deno",
    env: { PORT: "{hello-api.bindings.http.targetPort}" },
    bindings: { http: { scheme: "http", protocol: "tcp", transport: "http", targetPort: 8190 } },
  });
  deepEqual((recorded.manifest.resources["b2"] as ExecutableManifestResource).bindings, {
    http: { scheme: "http", protocol: "tcp", transport: "http", targetPort: 8000 },
  });
  deepEqual(recorded.relations, {
    "hello-api": { otlp: "http/protobuf", health: "/health" },
    ticker: { otlp: "grpc", waitFor: ["hello-api"], parent: "hello-api" },
  });
});

Deno.test("misuse is rejected with Aspire's rules", async (t) => {
  const builder = () =>
    createRecordingBuilder({ appHostDirectory: "/nowhere", manifestPath: "/nowhere/m.json" });

  await t.step("names are unique ignoring case, including generated parameters", async () => {
    const b = builder();
    await b.addExecutable("api", "deno", ".", []);
    await rejects(
      async () => await b.addExecutable("API", "deno", ".", []),
      /already named 'api'.*case-insensitive/,
    );
    await b.addPostgres("postgres");
    await rejects(
      async () => await b.addRedis("postgres-password"),
      /password parameter of 'postgres'/,
    );
  });

  await t.step("names follow Aspire's rules", async () => {
    await rejects(
      async () => await builder().addExecutable("hello_api", "deno", ".", []),
      /only ASCII letters, digits, and hyphens/,
    );
    await rejects(
      async () => await builder().addExecutable("1api", "deno", ".", []),
      /must start with an ASCII letter/,
    );
    await rejects(
      async () => await builder().addExecutable("api-", "deno", ".", []),
      /cannot end with a hyphen/,
    );
  });

  await t.step(
    "waits and parents need resources of the same AppHost, other than itself",
    async () => {
      const b = builder();
      const api = await b.addExecutable("api", "deno", ".", []);
      const foreign = await builder().addExecutable("other", "deno", ".", []);
      await rejects(
        async () => await api.waitFor(foreign),
        /waitFor expects a resource added to this AppHost's builder/,
      );
      await rejects(async () => await api.waitFor(api), /cannot wait for itself/);
      await rejects(async () => await api.withParentRelationship(api), /cannot be its own parent/);
    },
  );

  await t.step("references follow Aspire's dispatcher", async () => {
    const b = builder();
    const api = await b.addExecutable("api", "deno", ".", []).withHttpEndpoint();
    const worker = await b.addExecutable("worker", "deno", ".", []);
    await rejects(
      async () => await worker.withReference(api),
      /can't be used with withReference.*getEndpoint/,
    );
    await rejects(
      async () => await worker.withReference("https://example.com"),
      /URI references require the name option/,
    );
    await rejects(
      async () => await worker.withReference(api.getEndpoint("http"), { name: "x" }),
      /Endpoint references do not support/,
    );
    await rejects(
      // @ts-expect-error: the declaration rejects it too (an executable has no connection string).
      async () => await worker.withEnvironment("X", api),
      /needs a string, an endpoint reference or a resource with a connection string/,
    );
    await rejects(
      async () => await api.withHttpEndpoint(),
      /Endpoint with name 'http' already exists/,
    );
  });

  await t.step("capabilities exist only on the resources that have them", async () => {
    const b = builder();
    await rejects(
      // @ts-expect-error: the declaration rejects it too (Redis has no databases).
      async () => await b.addRedis("cache").addDatabase("db"),
      /addDatabase is not available on 'cache'/,
    );
    const db = await b.addPostgres("pg").addDatabase("db");
    const untyped = db as unknown as Sdk.ExecutableResource;
    await rejects(
      async () => await untyped.withHttpEndpoint(),
      /withHttpEndpoint is not available on the database resource 'db'/,
    );
    await rejects(
      async () => await untyped.getEndpoint("http"),
      /getEndpoint is not available on the database resource 'db'/,
    );
  });

  await t.step(
    "run fails on endpoints that were never declared and health checks without one",
    async () => {
      const b = builder();
      const api = await b.addExecutable("api", "deno", ".", []);
      await b.addExecutable("worker", "deno", ".", []).withReference(api.getEndpoint("htp"));
      await rejects(
        async () => await b.build().run(),
        /refers to the endpoint 'htp' of 'api', which has no such endpoint/,
      );
      const c = builder();
      await c.addExecutable("api", "deno", ".", []).withHttpHealthCheck({ path: "/health" });
      await rejects(
        async () => await c.build().run(),
        /Could not create HTTP health check for resource 'api'/,
      );
    },
  );

  await t.step("run re-throws a call that failed without being awaited", async () => {
    const b = builder();
    const api = await b.addExecutable("api", "deno", ".", []);
    api.waitFor(api);
    await rejects(async () => await b.build().run(), /cannot wait for itself/);
  });
});

Deno.test("createBuilder writes where ASPIRE_MANIFEST_PATH says, with paths relative to the manifest", async () => {
  const dir = await Deno.makeTempDir({ prefix: "netscript-recording-" });
  try {
    const program = join(dir, "apphost.mts");
    await Deno.writeTextFile(
      program,
      [
        `import { createBuilder } from ${
          JSON.stringify(new URL("./recording_sdk.ts", import.meta.url).href)
        };`,
        "const builder = await createBuilder();",
        'await builder.addExecutable("api", "deno", "..", ["run", "main.ts"]);',
        "await builder.build().run();",
      ].join("\n"),
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-config", "--allow-read", "--allow-write", "--allow-env", program],
      cwd: dir,
      env: { ASPIRE_MANIFEST_PATH: "out/manifest.json" },
    }).output();
    ok(out.success, new TextDecoder().decode(out.stderr));
    const manifest = JSON.parse(await Deno.readTextFile(join(dir, "out", "manifest.json")));
    equal(manifest.resources.api.workingDirectory, "../..");
    deepEqual(JSON.parse(await Deno.readTextFile(join(dir, "out", "aspire-relations.json"))), {});
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
