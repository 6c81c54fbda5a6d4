import { relative, resolve, sep } from "node:path";
import { connectionString, parameterValue, referencedResources } from "./expressions.ts";
import { type Conditional, type GeneratedPassword, passwordParameter } from "./integrations.ts";
import type { RecordedModel, RecordedResource } from "./model.ts";
import { findEndpoint } from "./references.ts";

/** A `bindings` entry of the manifest. */
export interface ManifestBinding {
  /** The URI scheme. */
  scheme: string;
  /** Always `tcp` here. */
  protocol: "tcp";
  /** `http` or `tcp`. */
  transport: "http" | "tcp";
  /** The exposed port, when it differs from the target port. */
  port?: number;
  /** The port the workload listens on. */
  targetPort?: number;
}

/** An `executable.v0` resource. */
export interface ExecutableManifestResource {
  /** The resource type. */
  type: "executable.v0";
  /** Relative to the manifest's folder. */
  workingDirectory: string;
  /** The command. */
  command: string;
  /** Its arguments. */
  args?: string[];
  /** Its environment. */
  env?: Record<string, string>;
  /** Its endpoints. */
  bindings?: Record<string, ManifestBinding>;
}

/** A `container.v0` resource. */
export interface ContainerManifestResource {
  /** The resource type. */
  type: "container.v0";
  /** What consumers receive as `ConnectionStrings__<name>`. */
  connectionString: string;
  /** `registry/image:tag`. */
  image: string;
  /** The entrypoint, when the integration sets one. */
  entrypoint?: string;
  /** The arguments, when the integration sets them. */
  args?: string[];
  /** Its environment. */
  env?: Record<string, string>;
  /** Its endpoints. */
  bindings?: Record<string, ManifestBinding>;
}

/** A `value.v0` resource: a database, or a conditional value. */
export interface ValueManifestResource {
  /** The resource type. */
  type: "value.v0";
  /** The value. */
  connectionString: string;
}

/** A `parameter.v0` resource: a generated password. */
export interface ParameterManifestResource {
  /** The resource type. */
  type: "parameter.v0";
  /** `{<name>.inputs.value}`. */
  value: string;
  /** How the deployment tool obtains the value. */
  inputs: {
    value: { type: "string"; secret: true; default: { generate: GeneratedPassword } };
  };
}

/** An `annotated.string` resource: a parameter's URI-escaped projection. */
export interface AnnotatedStringManifestResource {
  /** The resource type. */
  type: "annotated.string";
  /** The parameter's value expression. */
  value: string;
  /** Always `uri` here. */
  filter: "uri";
}

/** One resource of the manifest. */
export type ManifestResource =
  | ExecutableManifestResource
  | ContainerManifestResource
  | ValueManifestResource
  | ParameterManifestResource
  | AnnotatedStringManifestResource;

/** `aspire-manifest.json`, shaped like Aspire's publish manifest (`aspire-8.0` schema). */
export interface AspireManifest {
  /** The resources by name. */
  resources: Record<string, ManifestResource>;
}

/** What the publish manifest does not carry about a resource, recorded by the stand-in. */
export interface ResourceRelations {
  /** The OTLP protocol from `withOtlpExporter` (run mode sets `OTEL_*` from it). */
  otlp?: "grpc" | "http/protobuf" | "http/json";
  /** The path of the HTTP health check. */
  health?: string;
  /** The resources it waits for. */
  waitFor?: string[];
  /** Its parent in the dashboard. */
  parent?: string;
  /** `false` after `withoutHttpsCertificate`. */
  httpsCertificate?: false;
}

/** `aspire-relations.json`: relations by resource name, for resources that have any. */
export type AspireRelations = Record<string, ResourceRelations>;

/** Where the AppHost and the manifest are. */
export interface RecordingPaths {
  /** The AppHost's folder: relative working directories are resolved against it. */
  readonly appHostDirectory: string;
  /** The manifest's folder: working directories are written relative to it. */
  readonly manifestDirectory: string;
}

/**
 * Renders the recorded AppHost as a publish manifest and a relations file.
 * Resources come in the order they were added, then the generated password
 * parameters (each followed by its URI-escaped projection when something
 * uses it), then conditional values, as Aspire writes them.
 *
 * @param model The recorded resources.
 * @param paths Where the AppHost and the manifest are.
 * @returns Both documents.
 * @throws {Error} When an environment refers to an endpoint that was never
 * declared, or a health check has no HTTP endpoint to request.
 */
export function renderRecording(
  model: RecordedModel,
  paths: RecordingPaths,
): { manifest: AspireManifest; relations: AspireRelations } {
  const ports = new PortAllocator();
  const resources: Record<string, ManifestResource> = {};
  const conditionals = new Map<string, Conditional>();
  for (const resource of model.resources) {
    _checkEndpoints(resource);
    resources[resource.name] = _resource(resource, paths, ports, conditionals);
  }
  const used = new Set(
    Object.values(resources).flatMap((r) => referencedResources(JSON.stringify(r))),
  );
  for (const resource of model.resources) {
    if (resource.shape.kind !== "server") continue;
    const parameter = passwordParameter(resource.name);
    resources[parameter] = {
      type: "parameter.v0",
      value: `{${parameter}.inputs.value}`,
      inputs: {
        value: {
          type: "string",
          secret: true,
          default: { generate: resource.shape.integration.password },
        },
      },
    };
    if (used.has(`${parameter}-uri-encoded`)) {
      resources[`${parameter}-uri-encoded`] = {
        type: "annotated.string",
        value: parameterValue(parameter),
        filter: "uri",
      };
    }
  }
  for (const conditional of conditionals.values()) {
    resources[conditional.name] = { type: "value.v0", connectionString: conditional.value };
  }
  return { manifest: { resources }, relations: _relations(model) };
}

/** Aspire's publish-time `PortAllocator`: unset ports are taken from 8000 up, skipping used ones. */
class PortAllocator {
  #next = 8000;
  readonly #used = new Set<number>();

  allocate(): number {
    while (this.#used.has(this.#next)) this.#next++;
    return this.#next;
  }

  use(port: number): void {
    this.#used.add(port);
  }
}

function _resource(
  resource: RecordedResource,
  paths: RecordingPaths,
  ports: PortAllocator,
  conditionals: Map<string, Conditional>,
): ManifestResource {
  const env = Object.fromEntries(resource.env);
  const shape = resource.shape;
  if (shape.kind === "database") {
    const server = shape.server;
    if (server.shape.kind !== "server") throw new Error(`${server.name} is not a server`);
    const { suffix } = server.shape.integration.database!(server.name, shape.databaseName);
    return { type: "value.v0", connectionString: `${connectionString(server.name)}${suffix}` };
  }
  const bindings = _bindings(resource, ports);
  if (shape.kind === "executable") {
    const workingDirectory = relative(
      paths.manifestDirectory,
      resolve(paths.appHostDirectory, shape.workingDirectory),
    ).split(sep).join("/");
    return {
      type: "executable.v0",
      workingDirectory: workingDirectory === "" ? "." : workingDirectory,
      command: shape.command,
      ...(shape.args.length > 0 ? { args: [...shape.args] } : {}),
      ...(resource.env.size > 0 ? { env } : {}),
      ...bindings,
    };
  }
  const integration = shape.integration;
  const connection = integration.connectionString(resource.name);
  for (const conditional of connection.conditionals) {
    conditionals.set(conditional.name, conditional);
  }
  return {
    type: "container.v0",
    connectionString: connection.value,
    image: integration.image,
    ...(integration.command
      ? { entrypoint: integration.command.entrypoint, args: [...integration.command.args] }
      : {}),
    env: { ...integration.env(resource.name), ...env },
    ...bindings,
  };
}

/** `ManifestPublishingContext.WriteBindings` with `ResourceExtensions.ResolveEndpoints`. */
function _bindings(
  resource: RecordedResource,
  ports: PortAllocator,
): { bindings?: Record<string, ManifestBinding> } {
  if (resource.endpoints.length === 0) return {};
  const bindings: Record<string, ManifestBinding> = {};
  for (const endpoint of resource.endpoints) {
    const configuredTarget = endpoint.targetPort ??
      (endpoint.isProxied ? undefined : endpoint.port);
    const configuredPort = endpoint.port ?? (endpoint.isProxied ? undefined : endpoint.targetPort);
    const targetPort = configuredTarget ??
      (resource.shape.kind === "server" ? configuredPort : undefined) ?? ports.allocate();
    const port = configuredPort ?? targetPort;
    ports.use(port);
    ports.use(targetPort);
    bindings[endpoint.name] = {
      scheme: endpoint.scheme,
      protocol: "tcp",
      transport: endpoint.transport,
      ...(configuredPort !== undefined && configuredPort !== targetPort ? { port } : {}),
      targetPort,
    };
  }
  return { bindings };
}

function _checkEndpoints(resource: RecordedResource): void {
  for (const use of resource.endpointUses) {
    if (findEndpoint(use.resource, use.endpoint) === undefined) {
      throw new Error(
        `'${resource.name}' refers to the endpoint '${use.endpoint}' of '${use.resource.name}', which has no such endpoint (it has: ${
          use.resource.endpoints.map((e) => e.name).join(", ") || "none"
        }); declare it with withHttpEndpoint first`,
      );
    }
  }
  const health = resource.health;
  if (health === undefined) return;
  const candidates = health.endpointName !== undefined ? [health.endpointName] : ["https", "http"];
  const endpoint = candidates.map((name) => findEndpoint(resource, name)).find((e) => e);
  if (endpoint === undefined || endpoint.transport !== "http") {
    throw new Error(
      `Could not create HTTP health check for resource '${resource.name}' as no endpoint was found matching one of the specified names: ${
        candidates.join(", ")
      }`,
    );
  }
}

function _relations(model: RecordedModel): AspireRelations {
  const relations: AspireRelations = {};
  for (const resource of model.resources) {
    const entry: ResourceRelations = {
      ...(resource.otlp !== undefined ? { otlp: resource.otlp } : {}),
      ...(resource.health !== undefined ? { health: resource.health.path } : {}),
      ...(resource.waitFor.length > 0 ? { waitFor: resource.waitFor.map((r) => r.name) } : {}),
      ...(resource.parent !== undefined ? { parent: resource.parent.name } : {}),
      ...(resource.httpsCertificate ? {} : { httpsCertificate: false as const }),
    };
    if (Object.keys(entry).length > 0) relations[resource.name] = entry;
  }
  return relations;
}
