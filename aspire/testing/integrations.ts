import {
  binding,
  conditionalName,
  connectionString,
  escapeUriData,
  parameterValue,
} from "./expressions.ts";

/** The `generate` default of a generated password parameter, as the manifest writes it. */
export interface GeneratedPassword {
  /** The minimum length. */
  readonly minLength: number;
  /** Present and `false` when special characters are not allowed. */
  readonly special?: false;
  /** Minimum lowercase characters. */
  readonly minLower?: number;
  /** Minimum uppercase characters. */
  readonly minUpper?: number;
  /** Minimum digits. */
  readonly minNumeric?: number;
}

/** A value the manifest evaluates with a condition (Aspire's conditional `ReferenceExpression`). */
export interface Conditional {
  /** Its resource name, `cond-…`. */
  readonly name: string;
  /** Its value in publish mode, where TLS is off. */
  readonly value: string;
}

/** How one hosting integration's server appears in the publish manifest. */
export interface ServerIntegration {
  /** The builder method that adds it. */
  readonly method: "addPostgres" | "addMySql" | "addSqlServer" | "addRedis" | "addGarnet";
  /** `registry/image:tag`. */
  readonly image: string;
  /** The `tcp` endpoint's scheme. */
  readonly scheme: string;
  /** The port the server listens on in its container. */
  readonly targetPort: number;
  /** The generated password's rules. */
  readonly password: GeneratedPassword;
  /** The container's entrypoint and arguments, when the integration sets them. */
  readonly command?: { readonly entrypoint: string; readonly args: readonly string[] };
  /** The container's environment. */
  env(server: string): Record<string, string>;
  /** The server's connection string, and the conditional values it embeds. */
  connectionString(server: string): { value: string; conditionals: readonly Conditional[] };
  /** The server's connection properties, in Aspire's order. */
  properties(server: string): [string, string][];
  /** For servers with `addDatabase`: a database's connection string suffix and its own properties (merged over the server's). */
  database?(server: string, databaseName: string): {
    suffix: string;
    properties: [string, string][];
  };
}

/** The name of a server's generated password parameter. */
export function passwordParameter(server: string): string {
  return `${server}-password`;
}

const tcp = (server: string, property: "host" | "port" | "scheme" | "tlsEnabled") =>
  binding(server, "tcp", property);
const pwd = (server: string) => parameterValue(passwordParameter(server));
const pwdUri = (server: string) => parameterValue(passwordParameter(server), "uri");
const at = (server: string) => `${tcp(server, "host")}:${tcp(server, "port")}`;

/** Host, Port, Username, Password, Uri, JdbcConnectionString: the SQL servers' property list. */
function sqlProperties(
  server: string,
  user: string,
  uri: string,
  jdbc: string,
): [string, string][] {
  return [
    ["Host", tcp(server, "host")],
    ["Port", tcp(server, "port")],
    ["Username", user],
    ["Password", pwd(server)],
    ["Uri", uri],
    ["JdbcConnectionString", jdbc],
  ];
}

/** Host, Port, Password, Uri: the caches' property list. */
function cacheProperties(server: string, uri: string): [string, string][] {
  return [
    ["Host", tcp(server, "host")],
    ["Port", tcp(server, "port")],
    ["Password", pwd(server)],
    ["Uri", uri],
  ];
}

/** `{Parent};Database=<name>` (`DbConnectionStringBuilder`, or SQL Server's `Initial Catalog`). */
function databaseSuffix(key: string, databaseName: string): string {
  return `;${key}=${databaseName}`;
}

/**
 * The five server integrations of Aspire 13.5.2, from their sources and
 * manifest tests (`*ContainerImageTags.cs`, `*BuilderExtensions.cs`,
 * `*ServerResource.cs`, `*DatabaseResource.cs`, `AddPostgresTests.VerifyManifest`,
 * `AddSqlServerTests.VerifyManifest`, `AddGarnetTests`,
 * `ConnectionPropertiesTests.VerifyManifestWithConnectionProperties`,
 * `playground/Redis/Redis.AppHost/aspire-manifest.json`).
 */
export const SERVER_INTEGRATIONS: Readonly<Record<ServerIntegration["method"], ServerIntegration>> =
  {
    addPostgres: {
      method: "addPostgres",
      image: "docker.io/library/postgres:18.3",
      scheme: "tcp",
      targetPort: 5432,
      password: { minLength: 22 },
      env: (server) => ({
        POSTGRES_HOST_AUTH_METHOD: "scram-sha-256",
        POSTGRES_INITDB_ARGS: "--auth-host=scram-sha-256 --auth-local=scram-sha-256",
        POSTGRES_USER: "postgres",
        POSTGRES_PASSWORD: pwd(server),
      }),
      connectionString: (server) => ({
        value: `Host=${tcp(server, "host")};Port=${
          tcp(server, "port")
        };Username=postgres;Password=${pwd(server)}`,
        conditionals: [],
      }),
      properties: (server) =>
        sqlProperties(
          server,
          "postgres",
          `postgresql://postgres:${pwdUri(server)}@${at(server)}`,
          `jdbc:postgresql://${at(server)}`,
        ),
      database: (server, name) => ({
        suffix: databaseSuffix("Database", name),
        properties: [
          ["DatabaseName", name],
          ["Uri", `postgresql://postgres:${pwdUri(server)}@${at(server)}/${escapeUriData(name)}`],
          ["JdbcConnectionString", `jdbc:postgresql://${at(server)}/${escapeUriData(name)}`],
        ],
      }),
    },
    addMySql: {
      method: "addMySql",
      image: "docker.io/library/mysql:9.7",
      scheme: "tcp",
      targetPort: 3306,
      password: { minLength: 22 },
      env: (server) => ({ MYSQL_ROOT_PASSWORD: pwd(server) }),
      connectionString: (server) => ({
        value: `Server=${tcp(server, "host")};Port=${tcp(server, "port")};User ID=root;Password=${
          pwd(server)
        }`,
        conditionals: [],
      }),
      properties: (server) =>
        sqlProperties(
          server,
          "root",
          `mysql://root:${pwdUri(server)}@${at(server)}`,
          `jdbc:mysql://${at(server)}`,
        ),
      database: (server, name) => ({
        suffix: databaseSuffix("Database", name),
        properties: [
          ["DatabaseName", name],
          ["Uri", `mysql://root:${pwdUri(server)}@${at(server)}/${escapeUriData(name)}`],
          ["JdbcConnectionString", `jdbc:mysql://${at(server)}/${escapeUriData(name)}`],
        ],
      }),
    },
    addSqlServer: {
      method: "addSqlServer",
      image: "mcr.microsoft.com/mssql/server:2022-latest",
      scheme: "tcp",
      targetPort: 1433,
      password: { minLength: 22, minLower: 1, minUpper: 1, minNumeric: 1 },
      env: (server) => ({ ACCEPT_EULA: "Y", MSSQL_SA_PASSWORD: pwd(server) }),
      connectionString: (server) => ({
        value: `Server=${tcp(server, "host")},${tcp(server, "port")};User ID=sa;Password=${
          pwd(server)
        };TrustServerCertificate=true`,
        conditionals: [],
      }),
      properties: (server) =>
        sqlProperties(
          server,
          "sa",
          `mssql://sa:${pwdUri(server)}@${at(server)}`,
          `jdbc:sqlserver://${at(server)};trustServerCertificate=true`,
        ),
      database: (server, name) => ({
        suffix: databaseSuffix("Initial Catalog", name),
        properties: [
          ["DatabaseName", name],
          ["Uri", `mssql://sa:${pwdUri(server)}@${at(server)}/${escapeUriData(name)}`],
          [
            "JdbcConnectionString",
            `jdbc:sqlserver://${at(server)};databaseName=${
              escapeUriData(name)
            };trustServerCertificate=true`,
          ],
        ],
      }),
    },
    addRedis: {
      method: "addRedis",
      image: "docker.io/library/redis:8.6",
      scheme: "redis",
      targetPort: 6379,
      password: { minLength: 22, special: false },
      command: {
        entrypoint: "/bin/sh",
        args: ["-c", "redis-server --requirepass $REDIS_PASSWORD"],
      },
      env: (server) => ({ REDIS_PASSWORD: pwd(server) }),
      connectionString: (server) => {
        const tls = {
          name: conditionalName(tcp(server, "tlsEnabled"), ",ssl=true", "", "True"),
          value: "",
        };
        return {
          value: `${at(server)},password=${pwd(server)}${connectionString(tls.name)}`,
          conditionals: [tls],
        };
      },
      properties: (server) =>
        cacheProperties(server, `${tcp(server, "scheme")}://:${pwdUri(server)}@${at(server)}`),
    },
    addGarnet: {
      method: "addGarnet",
      image: "ghcr.io/microsoft/garnet:1.0",
      scheme: "tcp",
      targetPort: 6379,
      password: { minLength: 22, special: false },
      command: {
        entrypoint: "/bin/sh",
        args: [
          "-c",
          "/app/GarnetServer --protected-mode no --auth Password --password $GARNET_PASSWORD",
        ],
      },
      env: (server) => ({ GARNET_PASSWORD: pwd(server) }),
      connectionString: (server) => ({
        value: `${at(server)},password=${pwd(server)}`,
        conditionals: [],
      }),
      properties: (server) => cacheProperties(server, `redis://:${pwdUri(server)}@${at(server)}`),
    },
  };
