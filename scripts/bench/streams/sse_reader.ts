/**
 * A live SSE reader of one JSON stream for the latency measurement: it
 * follows `?live=sse` from an offset, notes when each message arrives, and
 * reconnects from the last control event's offset when the server ends
 * the connection (the reference server does after about a minute).
 *
 * @module
 */

/** What an SSE reader gives its caller. */
export interface SseReader {
  /**
   * Resolves with the arrival time (`performance.now()`) of the message
   * whose `i` field is `i`.
   *
   * @param i The message's `i`.
   * @returns When it arrived.
   */
  arrival(i: number): Promise<number>;
  /** Stops reading. */
  close(): Promise<void>;
}

/**
 * Opens a live SSE read of a JSON stream whose messages carry a number `i`.
 *
 * @param url The stream's URL.
 * @returns The reader, once the first connection has answered.
 */
export async function openSseReader(url: string): Promise<SseReader> {
  const arrived = new Map<number, number>();
  const waiting = new Map<number, (at: number) => void>();
  const stop = new AbortController();
  let offset = "-1";
  const onData = (data: string, at: number) => {
    for (const message of JSON.parse(data) as { i: number }[]) {
      const resolve = waiting.get(message.i);
      if (resolve) {
        waiting.delete(message.i);
        resolve(at);
      } else arrived.set(message.i, at);
    }
  };
  const onControl = (data: string) => {
    offset = (JSON.parse(data) as { streamNextOffset: string }).streamNextOffset;
  };
  const connect = async () => {
    const response = await fetch(`${url}?offset=${encodeURIComponent(offset)}&live=sse`, {
      signal: stop.signal,
    });
    if (response.status !== 200 || !response.body) {
      throw new Error(`The SSE read of ${url} answered ${response.status}`);
    }
    return response.body;
  };
  let body = (await connect()).getReader();
  const reading = (async () => {
    while (!stop.signal.aborted) {
      try {
        await _readEvents(body, onData, onControl);
      } catch (error) {
        if (stop.signal.aborted) return;
        throw error;
      }
      if (!stop.signal.aborted) body = (await connect()).getReader();
    }
  })();
  reading.catch(() => {});
  return {
    arrival(i) {
      const at = arrived.get(i);
      if (at !== undefined) return Promise.resolve(at);
      return Promise.race([
        new Promise<number>((resolve) => waiting.set(i, resolve)),
        reading.then(() => {
          throw new Error(`The SSE read of ${url} ended before message ${i} arrived`);
        }),
      ]);
    },
    async close() {
      stop.abort();
      await body.cancel().catch(() => {});
      await reading.catch(() => {});
    },
  };
}

/** Reads `event:`/`data:` blocks until the body ends. */
async function _readEvents(
  body: ReadableStreamDefaultReader<Uint8Array>,
  onData: (data: string, at: number) => void,
  onControl: (data: string) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  let buffered = "";
  for (;;) {
    const { done, value } = await body.read();
    if (done) return;
    const at = performance.now();
    buffered += decoder.decode(value, { stream: true }).replaceAll("\r\n", "\n");
    let end: number;
    while ((end = buffered.indexOf("\n\n")) >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (event === "data") onData(data.join("\n"), at);
      else if (event === "control") onControl(data.join("\n"));
    }
  }
}
