/**
 * Waiting for a running workspace to reach a state, and reading its APIs'
 * JSON answers: what the end-to-end tests of the plugins share.
 *
 * @module
 */

/**
 * Polls `probe` every 100 ms until it returns a value; a probe that throws
 * (a service not listening yet) counts as not yet.
 *
 * @param what What is awaited, for the timeout's message.
 * @param probe Returns the value once it is there, else `undefined`.
 * @param ms How long to wait at most.
 * @returns The value.
 * @throws {Error} `timed out waiting for <what>` after `ms`.
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** An API answer's body, read loosely: each test looks at the fields it expects. */
// deno-lint-ignore no-explicit-any
export type JsonBody = any;

/**
 * Calls an API and reads its JSON answer.
 *
 * @param url The URL.
 * @param init The request's method, headers and body.
 * @returns The status and the parsed body (`null` for an empty one).
 */
export async function callJson(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; body: JsonBody }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text === "" ? null : JSON.parse(text) };
}
