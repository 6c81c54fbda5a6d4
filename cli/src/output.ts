import { type Colors, createColors, wantsColor } from "./colors.ts";

/** Where a command writes: human lines, or one JSON document with `--json`. */
export interface Output {
  /** Whether `--json` was given. */
  readonly json: boolean;
  /** Styling for human output. */
  readonly colors: Colors;
  /** Writes a line to stdout (human mode only). */
  line(text?: string): void;
  /** Writes a warning to stderr (human mode only). */
  warn(text: string): void;
  /** Shows "label…" on stderr while `work` runs, when stderr is a terminal. */
  progress<T>(label: string, work: () => Promise<T>): Promise<T>;
  /** Writes a table of rows with a header (human mode only). */
  table(header: readonly string[], rows: readonly (readonly string[])[]): void;
  /** Writes the JSON result document (JSON mode only). */
  result(value: unknown): void;
}

/** The text streams an {@linkcode Output} writes to. */
export interface Streams {
  /** Standard output. */
  stdout: { writeSync(data: Uint8Array): number; isTerminal(): boolean };
  /** Standard error. */
  stderr: { writeSync(data: Uint8Array): number; isTerminal(): boolean };
}

const encoder = new TextEncoder();

/**
 * Creates the output for one command run.
 *
 * @param json Whether `--json` was given.
 * @param streams Where to write.
 * @returns The output.
 */
export function createOutput(json: boolean, streams: Streams = Deno): Output {
  const write = (stream: Streams["stdout"], text: string) => {
    const bytes = encoder.encode(text);
    let written = 0;
    while (written < bytes.length) written += stream.writeSync(bytes.subarray(written));
  };
  const colors = createColors(!json && wantsColor(streams.stdout));
  const errorColors = createColors(!json && wantsColor(streams.stderr));
  const interactive = !json && streams.stderr.isTerminal();
  return {
    json,
    colors,
    line: (text = "") => {
      if (!json) write(streams.stdout, `${text}\n`);
    },
    warn: (text) => {
      if (!json) write(streams.stderr, `${errorColors.yellow("warning")} ${text}\n`);
    },
    progress: async (label, work) => {
      if (!interactive) return await work();
      write(streams.stderr, `${errorColors.dim(`… ${label}`)}`);
      try {
        return await work();
      } finally {
        write(streams.stderr, "\r\x1b[2K");
      }
    },
    table: (header, rows) => {
      if (json) return;
      const widths = header.map((title, column) =>
        Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length))
      );
      const render = (cells: readonly string[]) =>
        cells.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd();
      write(streams.stdout, `${colors.bold(render(header))}\n`);
      for (const row of rows) write(streams.stdout, `${render(row)}\n`);
    },
    result: (value) => {
      if (json) write(streams.stdout, `${JSON.stringify(value, null, 2)}\n`);
    },
  };
}
