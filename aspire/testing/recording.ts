import type * as Sdk from "../sdk/aspire-13.5.2.d.mts";
import { RecordedModel, type RecordedResource } from "./model.ts";
import type { EndpointTarget } from "./references.ts";

/** Where a recording writes its files. */
export interface RecordingTarget {
  /** The AppHost's folder: relative working directories are resolved against it. */
  readonly appHostDirectory: string;
  /** The manifest file; `aspire-relations.json` is written next to it. */
  readonly manifestPath: string;
}

/** One AppHost's recording: the model and the calls still in flight. */
export class Recording {
  readonly model: RecordedModel = new RecordedModel();
  readonly #pending: Promise<unknown>[] = [];

  constructor(readonly target: RecordingTarget) {}

  /** Runs an operation; `build().run()` waits for (and re-throws) every one. */
  track<T>(operation: () => T | Promise<T>): Promise<T> {
    const promise = Promise.resolve().then(operation);
    promise.catch(() => {});
    this.#pending.push(promise);
    return promise;
  }

  /** Waits for every operation; rejects with the first failure. */
  async settle(): Promise<void> {
    await Promise.all(this.#pending);
  }
}

/** The recorded resource behind each resource handle. */
export const resourceHandles: WeakMap<
  object,
  { recording: Recording; resource: RecordedResource }
> = new WeakMap();

/** The endpoint behind each endpoint reference. */
export const endpointHandles: WeakMap<object, EndpointTarget> = new WeakMap();

/** The recorded resource behind an argument, which must come from the same AppHost. */
export async function resourceOf(
  recording: Recording,
  value: Sdk.Awaitable<Sdk.Resource>,
  method: string,
): Promise<RecordedResource> {
  const resolved: unknown = await value;
  const entry = typeof resolved === "object" && resolved !== null
    ? resourceHandles.get(resolved)
    : undefined;
  if (entry === undefined || entry.recording !== recording) {
    throw new TypeError(
      `${method} expects a resource added to this AppHost's builder; got ${_describe(resolved)}`,
    );
  }
  return entry.resource;
}

/** The endpoint behind an argument, when it is an endpoint reference. */
export function endpointOf(value: unknown): EndpointTarget | undefined {
  return typeof value === "object" && value !== null ? endpointHandles.get(value) : undefined;
}

function _describe(value: unknown): string {
  if (endpointOf(value) !== undefined) return "an endpoint reference";
  return value === null || typeof value !== "object" ? JSON.stringify(value) : "another object";
}
