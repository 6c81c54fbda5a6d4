/**
 * The part of Aspire 13.5.2's generated TypeScript AppHost SDK
 * (`.aspire/modules/aspire.mjs`) that NetScript's generated `apphost.mts`
 * uses, declared by hand so `deno check` can check the AppHost without the
 * Aspire CLI, .NET or Docker.
 *
 * It matches Aspire 13.5.2 and must be updated together with
 * `ASPIRE_VERSION` in `aspire/versions.ts`.
 *
 * Sources. Core capabilities come from Aspire's published listing
 * `src/Aspire.Hosting/api/Aspire.Hosting.ats.txt` (13.5); "l.N" below is its
 * line. The integrations (`addPostgres`, `addMySql`, `addSqlServer`,
 * `addRedis`, `addGarnet`, `addDatabase`) come from the table in the
 * research notes' §1.5, which summarises their own listings
 * (`src/Aspire.Hosting.<Integration>/api/Aspire.Hosting.<Integration>.ats.txt`
 * at v13.5.2; "<Integration> l.N" below is a line there). The TypeScript
 * shape follows Aspire's code generator: a C# capability's optional
 * parameters become one trailing options object, every builder method
 * returns a thenable builder (so calls chain under one `await`), and
 * `withBuilderParentRelationship` is named `withParentRelationship`.
 *
 * It is a subset: members NetScript does not use are left out, and so are
 * options whose values this subset cannot create (`ParameterResource`
 * passwords and user names). Handle types the listing's unions name but the
 * subset cannot create (`ReferenceExpression`, `ParameterResource`,
 * `ExternalServiceResource`, `IExpressionValue`) are opaque.
 *
 * @module
 */

/** A value or a promise of it (the generated SDK's `base.mts`). */
export type Awaitable<T> = T | PromiseLike<T>;

declare const opaque: unique symbol;

/** `ReferenceExpression` (l.54): opaque here; the subset has no `refExpr`. */
export interface ReferenceExpression {
  readonly [opaque]: "ReferenceExpression";
}

/** `ParameterResource` (l.52): opaque here; the subset has no `addParameter`. */
export interface ParameterResource {
  readonly [opaque]: "ParameterResource";
}

/** `ExternalServiceResource` (l.80): opaque here; the subset has no `addExternalService`. */
export interface ExternalServiceResource {
  readonly [opaque]: "ExternalServiceResource";
}

/** `IExpressionValue` (l.42): opaque here; nothing in the subset produces one. */
export interface ExpressionValue {
  readonly [opaque]: "IExpressionValue";
}

/** `enum:Aspire.Hosting.OtlpProtocol` (l.359). */
export declare enum OtlpProtocol {
  /** OTLP over gRPC. */
  Grpc = "Grpc",
  /** OTLP over HTTP with protobuf bodies (`http/protobuf`). */
  HttpProtobuf = "HttpProtobuf",
  /** OTLP over HTTP with JSON bodies (`http/json`). */
  HttpJson = "HttpJson",
}

/** `enum:Aspire.Hosting.ApplicationModel.WaitBehavior` (l.355). */
export declare enum WaitBehavior {
  /** Keep waiting while the dependency is unavailable. */
  WaitOnResourceUnavailable = "WaitOnResourceUnavailable",
  /** Stop waiting (and fail) when the dependency becomes unavailable. */
  StopOnResourceUnavailable = "StopOnResourceUnavailable",
}

/** `Aspire.Hosting.Ats.CreateBuilderOptions` (l.224-232), the fields NetScript may pass. */
export interface CreateBuilderOptions {
  /** The command line arguments. */
  args?: string[];
  /** The directory containing the AppHost; relative paths are resolved against it. */
  projectDirectory?: string | null;
  /** The full path to the AppHost file. */
  appHostFilePath?: string | null;
}

/** Options of `run` (l.765 `cancellationToken?`). */
export interface RunOptions {
  /** Stops the application. */
  cancellationToken?: AbortSignal;
}

/** Options of `withHttpEndpoint` (l.830). */
export interface WithHttpEndpointOptions {
  /** The port other resources use. */
  port?: number;
  /** The port the resource listens on. */
  targetPort?: number;
  /** The endpoint's name; `http` when absent. */
  name?: string;
  /** The environment variable that receives the target port. */
  env?: string;
  /** `false` lets the resource bind the port itself, without Aspire's proxy. */
  isProxied?: boolean;
}

/** Options of `withHttpHealthCheck` (l.832). */
export interface WithHttpHealthCheckOptions {
  /** The path to request. */
  path?: string;
  /** The status code that means healthy. */
  statusCode?: number;
  /** The endpoint to request; the `http` or `https` endpoint when absent. */
  endpointName?: string;
}

/** Options of `withOtlpExporter` (l.848). */
export interface WithOtlpExporterOptions {
  /** The OTLP protocol the resource's exporter speaks. */
  protocol?: OtlpProtocol;
}

/** Options of `withReference` (l.858). */
export interface WithReferenceOptions {
  /** Overrides the source's name in `ConnectionStrings__<name>` and `<NAME>_<PROPERTY>`. */
  connectionName?: string;
  /** The connection string may be missing at run time. */
  optional?: boolean;
  /** The service name, for service discovery and URI references. */
  name?: string;
}

/** Options of `waitFor` (l.778). */
export interface WaitForOptions {
  /** What to do when the dependency becomes unavailable. */
  waitBehavior?: WaitBehavior;
}

/** Options of `addDatabase` (research §1.5: `addDatabase(name, databaseName?)`; PostgreSQL l.29, MySql l.24, SqlServer l.24). */
export interface AddDatabaseOptions {
  /** The database's name on the server; the resource name when absent. */
  databaseName?: string;
}

/** Options of `addPostgres` (research §1.5: `addPostgres(name, userName?, password?, port?)`; PostgreSQL l.30). */
export interface AddPostgresOptions {
  /** The host port. */
  port?: number;
}

/** Options of `addMySql` (research §1.5: `addMySql(name, password?, port?)`; MySql l.25). */
export interface AddMySqlOptions {
  /** The host port. */
  port?: number;
}

/** Options of `addSqlServer` (research §1.5: `addSqlServer(name, password?, port?)`; SqlServer l.25). */
export interface AddSqlServerOptions {
  /** The host port. */
  port?: number;
}

/** Options of `addRedis` (research §1.5: `addRedis(name, port?, password?)`; Redis l.24). */
export interface AddRedisOptions {
  /** The host port. */
  port?: number;
}

/** Options of `addGarnet` (research §1.5: `addGarnet(name, port?, password?)`; Garnet l.14). */
export interface AddGarnetOptions {
  /** The host port. */
  port?: number;
}

/** `IResource` (l.44): any resource. */
export interface Resource {
  /** `withBuilderParentRelationship` (l.791): groups this resource under `parent` in the dashboard. */
  withParentRelationship(parent: Awaitable<Resource>): unknown;
}

/**
 * `IResourceWithConnectionString` (l.46): a resource other resources receive
 * a connection string for. NetScript does not call `withConnectionProperty`;
 * it is declared because it is the capability that tells these resources
 * apart from others (an executable is not one).
 */
export interface ResourceWithConnectionString extends Resource {
  /** `withConnectionProperty` (l.797): adds a property consumers receive as `<NAME>_<PROPERTY>`. */
  withConnectionProperty(name: string, value: string | ReferenceExpression): unknown;
}

/** `EndpointReference` (l.28): one endpoint of a resource, e.g. from `getEndpoint("http")`. */
export interface EndpointReference {
  /** `EndpointReference.endpointName` (l.445). */
  endpointName(): Promise<string>;
}

/** A pending {@linkcode EndpointReference}. */
export interface EndpointReferencePromise extends PromiseLike<EndpointReference> {
  /** `EndpointReference.endpointName` (l.445). */
  endpointName(): Promise<string>;
}

/** The value of `withEnvironment` (l.819). */
export type EnvironmentValue =
  | string
  | ReferenceExpression
  | Awaitable<
    | EndpointReference
    | ParameterResource
    | ExternalServiceResource
    | ResourceWithConnectionString
    | ExpressionValue
  >;

/** The source of `withReference` (l.858; its `uri` is a string in TypeScript). */
export type ReferenceSource = string | Awaitable<Resource | EndpointReference>;

/** `IResource` capabilities, returning the builder `Self`. */
interface ResourceCapabilities<Self> {
  /** `withBuilderParentRelationship` (l.791): groups this resource under `parent` in the dashboard. */
  withParentRelationship(parent: Awaitable<Resource>): Self;
}

/** `IResourceWithConnectionString` capabilities, returning the builder `Self`. */
interface ConnectionStringCapabilities<Self> extends ResourceCapabilities<Self> {
  /** `withConnectionProperty` (l.797): adds a property consumers receive as `<NAME>_<PROPERTY>`. */
  withConnectionProperty(name: string, value: string | ReferenceExpression): Self;
}

/**
 * Capabilities of resources with an environment, endpoints and waits
 * (`IResourceWithEnvironment` l.48, `IResourceWithEndpoints` l.47,
 * `IResourceWithWaitSupport` l.50): executables and containers.
 */
interface ComputeCapabilities<Self> extends ResourceCapabilities<Self> {
  /** `withEnvironment` (l.819): sets an environment variable. */
  withEnvironment(name: string, value: EnvironmentValue): Self;
  /** `withReference` (l.858): injects a connection string, endpoint URL or URI. */
  withReference(source: ReferenceSource, options?: WithReferenceOptions): Self;
  /** `withOtlpExporter` (l.848): points the resource's OTLP exporter at the dashboard. */
  withOtlpExporter(options?: WithOtlpExporterOptions): Self;
  /** `withoutHttpsCertificate` (l.849): no developer certificate, so no TLS upgrade. */
  withoutHttpsCertificate(): Self;
  /** `withHttpEndpoint` (l.830): adds an HTTP endpoint. */
  withHttpEndpoint(options?: WithHttpEndpointOptions): Self;
  /** `withHttpHealthCheck` (l.832): reports healthy when an HTTP request succeeds. */
  withHttpHealthCheck(options?: WithHttpHealthCheckOptions): Self;
  /** `getEndpoint` (l.690): a reference to one of the resource's endpoints. */
  getEndpoint(name: string): EndpointReferencePromise;
  /** `waitFor` (l.778): starts only once `dependency` is ready. */
  waitFor(dependency: Awaitable<Resource>, options?: WaitForOptions): Self;
}

/** `ExecutableResource` (l.33), from `addExecutable`. */
export interface ExecutableResource extends ComputeCapabilities<ExecutableResourcePromise> {}

/** A pending {@linkcode ExecutableResource}; chain calls on it or await it. */
export interface ExecutableResourcePromise
  extends PromiseLike<ExecutableResource>, ComputeCapabilities<ExecutableResourcePromise> {}

/** `PostgresServerResource`, a container (`ContainerResource` l.20) from `addPostgres`. */
export interface PostgresServerResource
  extends
    ComputeCapabilities<PostgresServerResourcePromise>,
    ConnectionStringCapabilities<PostgresServerResourcePromise> {
  /** Adds a database on the server (research §1.5). */
  addDatabase(name: string, options?: AddDatabaseOptions): PostgresDatabaseResourcePromise;
}

/** A pending {@linkcode PostgresServerResource}. */
export interface PostgresServerResourcePromise
  extends
    PromiseLike<PostgresServerResource>,
    ComputeCapabilities<PostgresServerResourcePromise>,
    ConnectionStringCapabilities<PostgresServerResourcePromise> {
  /** Adds a database on the server (research §1.5). */
  addDatabase(name: string, options?: AddDatabaseOptions): PostgresDatabaseResourcePromise;
}

/** `PostgresDatabaseResource`, from `addDatabase` on a Postgres server. */
export interface PostgresDatabaseResource
  extends ConnectionStringCapabilities<PostgresDatabaseResourcePromise> {}

/** A pending {@linkcode PostgresDatabaseResource}. */
export interface PostgresDatabaseResourcePromise
  extends
    PromiseLike<PostgresDatabaseResource>,
    ConnectionStringCapabilities<PostgresDatabaseResourcePromise> {}

/** `MySqlServerResource`, a container from `addMySql`. */
export interface MySqlServerResource
  extends
    ComputeCapabilities<MySqlServerResourcePromise>,
    ConnectionStringCapabilities<MySqlServerResourcePromise> {
  /** Adds a database on the server (research §1.5). */
  addDatabase(name: string, options?: AddDatabaseOptions): MySqlDatabaseResourcePromise;
}

/** A pending {@linkcode MySqlServerResource}. */
export interface MySqlServerResourcePromise
  extends
    PromiseLike<MySqlServerResource>,
    ComputeCapabilities<MySqlServerResourcePromise>,
    ConnectionStringCapabilities<MySqlServerResourcePromise> {
  /** Adds a database on the server (research §1.5). */
  addDatabase(name: string, options?: AddDatabaseOptions): MySqlDatabaseResourcePromise;
}

/** `MySqlDatabaseResource`, from `addDatabase` on a MySQL server. */
export interface MySqlDatabaseResource
  extends ConnectionStringCapabilities<MySqlDatabaseResourcePromise> {}

/** A pending {@linkcode MySqlDatabaseResource}. */
export interface MySqlDatabaseResourcePromise
  extends
    PromiseLike<MySqlDatabaseResource>,
    ConnectionStringCapabilities<MySqlDatabaseResourcePromise> {}

/** `SqlServerServerResource`, a container from `addSqlServer`. */
export interface SqlServerServerResource
  extends
    ComputeCapabilities<SqlServerServerResourcePromise>,
    ConnectionStringCapabilities<SqlServerServerResourcePromise> {
  /** Adds a database on the server (research §1.5). */
  addDatabase(name: string, options?: AddDatabaseOptions): SqlServerDatabaseResourcePromise;
}

/** A pending {@linkcode SqlServerServerResource}. */
export interface SqlServerServerResourcePromise
  extends
    PromiseLike<SqlServerServerResource>,
    ComputeCapabilities<SqlServerServerResourcePromise>,
    ConnectionStringCapabilities<SqlServerServerResourcePromise> {
  /** Adds a database on the server (research §1.5). */
  addDatabase(name: string, options?: AddDatabaseOptions): SqlServerDatabaseResourcePromise;
}

/** `SqlServerDatabaseResource`, from `addDatabase` on a SQL Server. */
export interface SqlServerDatabaseResource
  extends ConnectionStringCapabilities<SqlServerDatabaseResourcePromise> {}

/** A pending {@linkcode SqlServerDatabaseResource}. */
export interface SqlServerDatabaseResourcePromise
  extends
    PromiseLike<SqlServerDatabaseResource>,
    ConnectionStringCapabilities<SqlServerDatabaseResourcePromise> {}

/** `RedisResource`, a container from `addRedis`. */
export interface RedisResource
  extends
    ComputeCapabilities<RedisResourcePromise>,
    ConnectionStringCapabilities<RedisResourcePromise> {}

/** A pending {@linkcode RedisResource}. */
export interface RedisResourcePromise
  extends
    PromiseLike<RedisResource>,
    ComputeCapabilities<RedisResourcePromise>,
    ConnectionStringCapabilities<RedisResourcePromise> {}

/** `GarnetResource`, a container from `addGarnet`. */
export interface GarnetResource
  extends
    ComputeCapabilities<GarnetResourcePromise>,
    ConnectionStringCapabilities<GarnetResourcePromise> {}

/** A pending {@linkcode GarnetResource}. */
export interface GarnetResourcePromise
  extends
    PromiseLike<GarnetResource>,
    ComputeCapabilities<GarnetResourcePromise>,
    ConnectionStringCapabilities<GarnetResourcePromise> {}

/** `DistributedApplication` (l.72), from `build`. */
export interface DistributedApplication {
  /** `run` (l.765): runs the application. */
  run(options?: RunOptions): DistributedApplicationPromise;
}

/** A pending {@linkcode DistributedApplication}. */
export interface DistributedApplicationPromise extends PromiseLike<DistributedApplication> {
  /** `run` (l.765): runs the application. */
  run(options?: RunOptions): DistributedApplicationPromise;
}

/** `IDistributedApplicationBuilder` (l.81), from `createBuilder`. */
export interface DistributedApplicationBuilder {
  /** `addExecutable` (l.606): runs `command args…` in `workingDirectory` (relative to the AppHost). */
  addExecutable(
    name: string,
    command: string,
    workingDirectory: string,
    args: string[],
  ): ExecutableResourcePromise;
  /** `addPostgres` (research §1.5): a PostgreSQL server container. */
  addPostgres(name: string, options?: AddPostgresOptions): PostgresServerResourcePromise;
  /** `addMySql` (research §1.5): a MySQL server container. */
  addMySql(name: string, options?: AddMySqlOptions): MySqlServerResourcePromise;
  /** `addSqlServer` (research §1.5): a SQL Server container. */
  addSqlServer(name: string, options?: AddSqlServerOptions): SqlServerServerResourcePromise;
  /** `addRedis` (research §1.5): a Redis container. */
  addRedis(name: string, options?: AddRedisOptions): RedisResourcePromise;
  /** `addGarnet` (research §1.5): a Garnet container. */
  addGarnet(name: string, options?: AddGarnetOptions): GarnetResourcePromise;
  /** `build` (l.616): the application, ready to run. */
  build(): DistributedApplicationPromise;
}

/** `createBuilder` (l.629): connects to the AppHost server and returns the builder. */
export declare function createBuilder(
  options?: CreateBuilderOptions,
): Promise<DistributedApplicationBuilder>;
