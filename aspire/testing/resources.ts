import type * as Sdk from "../sdk/aspire-13.5.2.d.mts";
import { OtlpProtocol, WaitBehavior } from "./enums.ts";
import { binding, connectionString } from "./expressions.ts";
import type { RecordedResource } from "./model.ts";
import { applyReference, type EndpointTarget, hasConnectionString } from "./references.ts";
import {
  endpointHandles,
  endpointOf,
  type Recording,
  resourceHandles,
  resourceOf,
} from "./recording.ts";

/** `OTEL_EXPORTER_OTLP_PROTOCOL`'s spelling of each protocol. */
const OTLP_PROTOCOLS: Record<`${Sdk.OtlpProtocol}`, NonNullable<RecordedResource["otlp"]>> = {
  Grpc: "grpc",
  HttpProtobuf: "http/protobuf",
  HttpJson: "http/json",
};

/**
 * A resource, as `await` on a builder method returns it. Its methods
 * implement the capabilities of the same names in the SDK declaration
 * (`sdk/aspire-13.5.2.d.mts`); one that does not apply to the resource's
 * kind (e.g. `withHttpEndpoint` on a database) rejects with a `TypeError`.
 */
export class ResourceHandle {
  readonly #recording: Recording;
  readonly #resource: RecordedResource;

  constructor(recording: Recording, resource: RecordedResource) {
    this.#recording = recording;
    this.#resource = resource;
    resourceHandles.set(this, { recording, resource });
  }

  #chain(
    method: string,
    kinds: readonly RecordedResource["shape"]["kind"][],
    apply: (
      resource: RecordedResource,
    ) => void | Promise<void>,
  ): ResourceChain {
    return new ResourceChain(
      this.#recording,
      this.#recording.track(async () => {
        if (!kinds.includes(this.#resource.shape.kind)) {
          throw new TypeError(
            `${method} is not available on the ${this.#resource.shape.kind} resource '${this.#resource.name}'`,
          );
        }
        await apply(this.#resource);
        return this;
      }),
    );
  }

  withParentRelationship(parent: Sdk.Awaitable<Sdk.Resource>): ResourceChain {
    return this.#chain("withParentRelationship", ALL, async (resource) => {
      const target = await resourceOf(this.#recording, parent, "withParentRelationship");
      if (target === resource) throw new Error(`'${resource.name}' cannot be its own parent`);
      resource.parent = target;
    });
  }

  withConnectionProperty(name: string, value: string | Sdk.ReferenceExpression): ResourceChain {
    return this.#chain("withConnectionProperty", ["server", "database"], (resource) => {
      if (typeof value !== "string") {
        throw new TypeError("The recording stand-in only records string connection properties");
      }
      resource.connectionProperties.push([name, value]);
    });
  }

  withEnvironment(name: string, value: Sdk.EnvironmentValue): ResourceChain {
    return this.#chain("withEnvironment", COMPUTE, async (resource) => {
      const resolved: unknown = await value;
      const endpoint = endpointOf(resolved);
      if (typeof resolved === "string") {
        resource.env.set(name, resolved);
      } else if (endpoint !== undefined) {
        resource.env.set(name, binding(endpoint.resource.name, endpoint.endpoint, "url"));
        resource.endpointUses.push(endpoint);
      } else {
        const source = await resourceOf(
          this.#recording,
          resolved as Sdk.Resource,
          "withEnvironment",
        );
        if (!hasConnectionString(source)) {
          throw new TypeError(
            `withEnvironment("${name}", …) needs a string, an endpoint reference or a resource with a connection string; '${source.name}' has none`,
          );
        }
        resource.env.set(name, connectionString(source.name));
      }
    });
  }

  withReference(
    source: Sdk.ReferenceSource,
    options: Sdk.WithReferenceOptions = {},
  ): ResourceChain {
    return this.#chain("withReference", COMPUTE, async (resource) => {
      const resolved: unknown = await source;
      applyReference(
        resource,
        typeof resolved === "string" ? resolved : endpointOf(resolved) ??
          await resourceOf(this.#recording, resolved as Sdk.Resource, "withReference"),
        options,
      );
    });
  }

  withOtlpExporter(options: Sdk.WithOtlpExporterOptions = {}): ResourceChain {
    return this.#chain("withOtlpExporter", COMPUTE, (resource) => {
      const protocol = options.protocol ?? OtlpProtocol.Grpc;
      const spelled = OTLP_PROTOCOLS[`${protocol}`];
      if (spelled === undefined) throw new TypeError(`Unknown OtlpProtocol ${String(protocol)}`);
      resource.otlp = spelled;
    });
  }

  withoutHttpsCertificate(): ResourceChain {
    return this.#chain("withoutHttpsCertificate", COMPUTE, (resource) => {
      resource.httpsCertificate = false;
    });
  }

  withHttpEndpoint(options: Sdk.WithHttpEndpointOptions = {}): ResourceChain {
    return this.#chain("withHttpEndpoint", COMPUTE, (resource) => {
      const name = options.name ?? "http";
      if (resource.endpoints.some((e) => e.name.toLowerCase() === name.toLowerCase())) {
        throw new Error(`Endpoint with name '${name}' already exists on '${resource.name}'`);
      }
      resource.endpoints.push({
        name,
        scheme: "http",
        transport: "http",
        ...(options.port !== undefined ? { port: options.port } : {}),
        ...(options.targetPort !== undefined ? { targetPort: options.targetPort } : {}),
        isProxied: options.isProxied ?? true,
      });
      if (options.env !== undefined) {
        resource.env.set(options.env, binding(resource.name, name, "targetPort"));
      }
    });
  }

  withHttpHealthCheck(options: Sdk.WithHttpHealthCheckOptions = {}): ResourceChain {
    return this.#chain("withHttpHealthCheck", COMPUTE, (resource) => {
      resource.health = {
        path: options.path ?? "/",
        ...(options.endpointName !== undefined ? { endpointName: options.endpointName } : {}),
      };
    });
  }

  getEndpoint(name: string): EndpointChain {
    return new EndpointChain(
      this.#recording.track(() => {
        if (!COMPUTE.includes(this.#resource.shape.kind)) {
          throw new TypeError(
            `getEndpoint is not available on the ${this.#resource.shape.kind} resource '${this.#resource.name}'`,
          );
        }
        return new EndpointHandle({ resource: this.#resource, endpoint: name });
      }),
    );
  }

  waitFor(
    dependency: Sdk.Awaitable<Sdk.Resource>,
    options: Sdk.WaitForOptions = {},
  ): ResourceChain {
    return this.#chain("waitFor", COMPUTE, async (resource) => {
      const target = await resourceOf(this.#recording, dependency, "waitFor");
      if (target === resource) throw new Error(`'${resource.name}' cannot wait for itself`);
      const behaviors: readonly string[] = Object.values(WaitBehavior);
      if (options.waitBehavior !== undefined && !behaviors.includes(options.waitBehavior)) {
        throw new TypeError(`Unknown WaitBehavior ${String(options.waitBehavior)}`);
      }
      if (!resource.waitFor.includes(target)) resource.waitFor.push(target);
    });
  }

  addDatabase(name: string, options: Sdk.AddDatabaseOptions = {}): ResourceChain {
    const server = this.#resource;
    return new ResourceChain(
      this.#recording,
      this.#recording.track(() => {
        if (server.shape.kind !== "server" || server.shape.integration.database === undefined) {
          throw new TypeError(`addDatabase is not available on '${server.name}'`);
        }
        const databaseName = options.databaseName ?? name;
        const resource = this.#recording.model.add(name, {
          kind: "database",
          server,
          databaseName,
        });
        return new ResourceHandle(this.#recording, resource);
      }),
    );
  }
}

const ALL: readonly RecordedResource["shape"]["kind"][] = ["executable", "server", "database"];
const COMPUTE: readonly RecordedResource["shape"]["kind"][] = ["executable", "server"];

/** A pending resource: chain more calls on it (each waits for the previous one), or await it. */
export class ResourceChain implements PromiseLike<ResourceHandle> {
  readonly #recording: Recording;
  readonly #promise: Promise<ResourceHandle>;

  constructor(recording: Recording, promise: Promise<ResourceHandle>) {
    this.#recording = recording;
    this.#promise = promise;
  }

  then<A = ResourceHandle, B = never>(
    onfulfilled?: ((value: ResourceHandle) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#promise.then(onfulfilled, onrejected);
  }

  #next(call: (handle: ResourceHandle) => PromiseLike<ResourceHandle>): ResourceChain {
    return new ResourceChain(
      this.#recording,
      this.#recording.track(() => this.#promise.then(call)),
    );
  }

  withParentRelationship(parent: Sdk.Awaitable<Sdk.Resource>): ResourceChain {
    return this.#next((h) => h.withParentRelationship(parent));
  }

  withConnectionProperty(name: string, value: string | Sdk.ReferenceExpression): ResourceChain {
    return this.#next((h) => h.withConnectionProperty(name, value));
  }

  withEnvironment(name: string, value: Sdk.EnvironmentValue): ResourceChain {
    return this.#next((h) => h.withEnvironment(name, value));
  }

  withReference(source: Sdk.ReferenceSource, options?: Sdk.WithReferenceOptions): ResourceChain {
    return this.#next((h) => h.withReference(source, options));
  }

  withOtlpExporter(options?: Sdk.WithOtlpExporterOptions): ResourceChain {
    return this.#next((h) => h.withOtlpExporter(options));
  }

  withoutHttpsCertificate(): ResourceChain {
    return this.#next((h) => h.withoutHttpsCertificate());
  }

  withHttpEndpoint(options?: Sdk.WithHttpEndpointOptions): ResourceChain {
    return this.#next((h) => h.withHttpEndpoint(options));
  }

  withHttpHealthCheck(options?: Sdk.WithHttpHealthCheckOptions): ResourceChain {
    return this.#next((h) => h.withHttpHealthCheck(options));
  }

  getEndpoint(name: string): EndpointChain {
    return new EndpointChain(
      this.#recording.track(() => this.#promise.then((h) => h.getEndpoint(name))),
    );
  }

  waitFor(dependency: Sdk.Awaitable<Sdk.Resource>, options?: Sdk.WaitForOptions): ResourceChain {
    return this.#next((h) => h.waitFor(dependency, options));
  }

  addDatabase(name: string, options?: Sdk.AddDatabaseOptions): ResourceChain {
    return this.#next((h) => h.addDatabase(name, options));
  }
}

/** An endpoint of a resource, as `getEndpoint` resolves to. */
class EndpointHandle {
  readonly #target: EndpointTarget;

  constructor(target: EndpointTarget) {
    this.#target = target;
    endpointHandles.set(this, target);
  }

  endpointName(): Promise<string> {
    return Promise.resolve(this.#target.endpoint);
  }
}

/** A pending endpoint reference. */
class EndpointChain implements PromiseLike<EndpointHandle> {
  readonly #promise: Promise<EndpointHandle>;

  constructor(promise: Promise<EndpointHandle>) {
    this.#promise = promise;
  }

  then<A = EndpointHandle, B = never>(
    onfulfilled?: ((value: EndpointHandle) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#promise.then(onfulfilled, onrejected);
  }

  endpointName(): Promise<string> {
    return this.#promise.then((e) => e.endpointName());
  }
}
