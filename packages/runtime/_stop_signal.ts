/**
 * The request to stop a process: SIGINT, SIGTERM, or an abort signal.
 *
 * @module
 */

/** A pending stop request and how to stop listening for one. */
export interface StopRequest {
  /** Resolves with what asked to stop: `SIGINT`, `SIGTERM` or `abort`. */
  readonly requested: Promise<string>;
  /** Aborts once a stop is requested. */
  readonly signal: AbortSignal;
  /** Removes the signal listeners. */
  dispose(): void;
}

/**
 * Listens for the first SIGINT or SIGTERM (unless `handleSignals` is
 * false) and for `signal` aborting. After the first OS signal the
 * listeners are removed, so a second Ctrl-C ends the process at once.
 *
 * @param options Whether to handle OS signals, and an extra abort signal.
 * @returns The request.
 */
export function stopRequest(
  options: { handleSignals?: boolean | undefined; signal?: AbortSignal | undefined },
): StopRequest {
  const controller = new AbortController();
  const { promise, resolve } = Promise.withResolvers<string>();
  const signals: Deno.Signal[] = options.handleSignals === false ? [] : ["SIGINT", "SIGTERM"];
  const listeners = signals.map((name) => [name, () => stop(name)] as const);
  const onAbort = () => stop("abort");
  const dispose = () => {
    for (const [name, listener] of listeners) Deno.removeSignalListener(name, listener);
    options.signal?.removeEventListener("abort", onAbort);
  };
  const stop = (reason: string) => {
    dispose();
    if (controller.signal.aborted) return;
    controller.abort();
    resolve(reason);
  };
  for (const [name, listener] of listeners) Deno.addSignalListener(name, listener);
  if (options.signal?.aborted) stop("abort");
  else options.signal?.addEventListener("abort", onAbort, { once: true });
  return { requested: promise, signal: controller.signal, dispose };
}
