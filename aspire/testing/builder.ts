import { dirname, join } from "node:path";
import type * as Sdk from "../sdk/aspire-13.5.2.d.mts";
import { SERVER_INTEGRATIONS, type ServerIntegration } from "./integrations.ts";
import { renderRecording } from "./manifest.ts";
import type { RecordedResource } from "./model.ts";
import { Recording, type RecordingTarget } from "./recording.ts";
import { ResourceChain, ResourceHandle } from "./resources.ts";

export type { RecordingTarget } from "./recording.ts";

/** The built application: `run()` writes the manifest and the relations. */
class Application {
  readonly #recording: Recording;

  constructor(recording: Recording) {
    this.#recording = recording;
  }

  run(options: Sdk.RunOptions = {}): ApplicationChain {
    return new ApplicationChain(this.#run(options));
  }

  async #run(options: Sdk.RunOptions): Promise<Application> {
    await this.#recording.settle();
    options.cancellationToken?.throwIfAborted();
    const { appHostDirectory, manifestPath } = this.#recording.target;
    const { manifest, relations } = renderRecording(this.#recording.model, {
      appHostDirectory,
      manifestDirectory: dirname(manifestPath),
    });
    const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
    await Deno.mkdir(dirname(manifestPath), { recursive: true });
    await Deno.writeTextFile(manifestPath, json(manifest));
    await Deno.writeTextFile(join(dirname(manifestPath), "aspire-relations.json"), json(relations));
    return this;
  }
}

/** A pending application. */
class ApplicationChain implements PromiseLike<Application> {
  readonly #promise: Promise<Application>;

  constructor(promise: Promise<Application>) {
    this.#promise = promise;
  }

  then<A = Application, B = never>(
    onfulfilled?: ((value: Application) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#promise.then(onfulfilled, onrejected);
  }

  run(options?: Sdk.RunOptions): ApplicationChain {
    return new ApplicationChain(this.#promise.then((app) => app.run(options)));
  }
}

/** The builder `createBuilder` resolves to. */
class Builder {
  readonly #recording: Recording;

  constructor(target: RecordingTarget) {
    this.#recording = new Recording(target);
  }

  #add(add: () => RecordedResource): ResourceChain {
    return new ResourceChain(
      this.#recording,
      this.#recording.track(() => new ResourceHandle(this.#recording, add())),
    );
  }

  #server(integration: ServerIntegration, name: string, port: number | undefined): ResourceChain {
    return this.#add(() => {
      const resource = this.#recording.model.add(name, { kind: "server", integration });
      resource.endpoints.push({
        name: "tcp",
        scheme: integration.scheme,
        transport: "tcp",
        ...(port !== undefined ? { port } : {}),
        targetPort: integration.targetPort,
        isProxied: true,
      });
      return resource;
    });
  }

  addExecutable(
    name: string,
    command: string,
    workingDirectory: string,
    args: string[],
  ): ResourceChain {
    return this.#add(() =>
      this.#recording.model.add(name, {
        kind: "executable",
        command,
        workingDirectory,
        args: [...args],
      })
    );
  }

  addPostgres(name: string, options: Sdk.AddPostgresOptions = {}): ResourceChain {
    return this.#server(SERVER_INTEGRATIONS.addPostgres, name, options.port);
  }

  addMySql(name: string, options: Sdk.AddMySqlOptions = {}): ResourceChain {
    return this.#server(SERVER_INTEGRATIONS.addMySql, name, options.port);
  }

  addSqlServer(name: string, options: Sdk.AddSqlServerOptions = {}): ResourceChain {
    return this.#server(SERVER_INTEGRATIONS.addSqlServer, name, options.port);
  }

  addRedis(name: string, options: Sdk.AddRedisOptions = {}): ResourceChain {
    return this.#server(SERVER_INTEGRATIONS.addRedis, name, options.port);
  }

  addGarnet(name: string, options: Sdk.AddGarnetOptions = {}): ResourceChain {
    return this.#server(SERVER_INTEGRATIONS.addGarnet, name, options.port);
  }

  build(): ApplicationChain {
    return new ApplicationChain(Promise.resolve(new Application(this.#recording)));
  }
}

/**
 * Creates a recording builder that writes to `target`, for tests that
 * choose the paths themselves (an AppHost calls `createBuilder`).
 *
 * @param target The AppHost's folder and the manifest's path.
 * @returns The builder, typed as the declared SDK's.
 *
 * @example
 * ```ts
 * import { createRecordingBuilder } from "./builder.ts";
 *
 * const builder = createRecordingBuilder({
 *   appHostDirectory: "/tmp/app/aspire",
 *   manifestPath: "/tmp/app/aspire/aspire-manifest.json",
 * });
 * await builder.addRedis("cache");
 * ```
 */
export function createRecordingBuilder(target: RecordingTarget): Sdk.DistributedApplicationBuilder {
  return new Builder(target);
}
