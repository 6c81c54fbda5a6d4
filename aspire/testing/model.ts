import { passwordParameter, type ServerIntegration } from "./integrations.ts";

/** An endpoint as the AppHost declared it. */
export interface RecordedEndpoint {
  /** Its name, e.g. `http` or `tcp`. */
  readonly name: string;
  /** The URI scheme, e.g. `http` or `redis`. */
  readonly scheme: string;
  /** `http` for HTTP endpoints, `tcp` otherwise. */
  readonly transport: "http" | "tcp";
  /** The port other resources use. */
  readonly port?: number;
  /** The port the resource listens on. */
  readonly targetPort?: number;
  /** `false` when the resource binds the port itself. */
  readonly isProxied: boolean;
}

/** What kind of resource it is, with what its manifest entry needs. */
export type RecordedShape =
  | {
    readonly kind: "executable";
    readonly command: string;
    readonly workingDirectory: string;
    readonly args: readonly string[];
  }
  | { readonly kind: "server"; readonly integration: ServerIntegration }
  | { readonly kind: "database"; readonly server: RecordedResource; readonly databaseName: string };

/** One resource and everything recorded about it. */
export interface RecordedResource {
  /** Its name. */
  readonly name: string;
  /** Its kind and kind-specific data. */
  readonly shape: RecordedShape;
  /** Environment variables: manifest values (literals or `{…}` expressions), in insertion order. */
  readonly env: Map<string, string>;
  /** Its endpoints. */
  readonly endpoints: RecordedEndpoint[];
  /** Properties added with `withConnectionProperty`. */
  readonly connectionProperties: [string, string][];
  /** Resources it waits for. */
  readonly waitFor: RecordedResource[];
  /** Endpoints its environment refers to, checked when the manifest is written. */
  readonly endpointUses: { readonly resource: RecordedResource; readonly endpoint: string }[];
  /** The OTLP protocol from `withOtlpExporter`, as `OTEL_EXPORTER_OTLP_PROTOCOL` spells it. */
  otlp?: "grpc" | "http/protobuf" | "http/json";
  /** The HTTP health check. */
  health?: { readonly path: string; readonly endpointName?: string };
  /** The dashboard parent. */
  parent?: RecordedResource;
  /** `false` after `withoutHttpsCertificate`. */
  httpsCertificate: boolean;
}

/**
 * Checks a resource name the way Aspire's `ModelName.ValidateName` does:
 * 1 to 64 ASCII letters, digits and hyphens, starting with a letter, with no
 * consecutive or trailing hyphen.
 *
 * @param name The name.
 * @throws {Error} Aspire's message for the first rule it breaks.
 */
export function validateResourceName(name: string): void {
  const invalid = (rule: string) => new Error(`Resource name '${name}' is invalid. ${rule}`);
  if (name.length < 1 || name.length > 64) {
    throw invalid("Name must be between 1 and 64 characters long.");
  }
  if (name.includes("--")) throw invalid("Name cannot contain consecutive hyphens.");
  if (/[^A-Za-z0-9-]/.test(name)) {
    throw invalid("Name must contain only ASCII letters, digits, and hyphens.");
  }
  if (!/^[A-Za-z]/.test(name)) throw invalid("Name must start with an ASCII letter.");
  if (name.endsWith("-")) throw invalid("Name cannot end with a hyphen.");
}

/** Every resource one AppHost declared, in order. Names are unique, ignoring case. */
export class RecordedModel {
  /** The resources, in the order they were added. */
  readonly resources: RecordedResource[] = [];
  readonly #taken = new Map<string, { name: string; owner: string }>();

  /**
   * Adds a resource (and, for a server, its generated password parameter).
   *
   * @param name The resource name.
   * @param shape Its kind.
   * @returns The new record.
   * @throws {Error} For an invalid name, or one already taken (ignoring case).
   */
  add(name: string, shape: RecordedShape): RecordedResource {
    validateResourceName(name);
    const names = new Map([[name, `the ${shape.kind} resource`]]);
    if (shape.kind === "server") {
      names.set(passwordParameter(name), `the password parameter of '${name}'`);
    }
    for (const candidate of names.keys()) {
      const existing = this.#taken.get(candidate.toLowerCase());
      if (existing !== undefined) {
        throw new Error(
          `Cannot add resource '${name}': ${existing.owner} is already named '${existing.name}'. Resource names are case-insensitive.`,
        );
      }
    }
    for (const [taken, owner] of names) {
      this.#taken.set(taken.toLowerCase(), { name: taken, owner });
    }
    const resource: RecordedResource = {
      name,
      shape,
      env: new Map(),
      endpoints: [],
      connectionProperties: [],
      waitFor: [],
      endpointUses: [],
      httpsCertificate: true,
    };
    this.resources.push(resource);
    return resource;
  }
}
