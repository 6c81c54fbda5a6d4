/** ANSI styling that turns itself off when colour is not wanted. */
export interface Colors {
  /** Bold text. */
  bold(text: string): string;
  /** Dimmed text. */
  dim(text: string): string;
  /** Red text. */
  red(text: string): string;
  /** Green text. */
  green(text: string): string;
  /** Yellow text. */
  yellow(text: string): string;
  /** Cyan text. */
  cyan(text: string): string;
}

/**
 * Creates the styling functions.
 *
 * @param enabled Whether to emit ANSI codes.
 * @returns The functions; identity functions when disabled.
 */
export function createColors(enabled: boolean): Colors {
  const style = (open: number, close: number) => (text: string) =>
    enabled ? `\x1b[${open}m${text}\x1b[${close}m` : text;
  return {
    bold: style(1, 22),
    dim: style(2, 22),
    red: style(31, 39),
    green: style(32, 39),
    yellow: style(33, 39),
    cyan: style(36, 39),
  };
}

/**
 * Tells whether a stream should get colour: it is a terminal and `NO_COLOR`
 * is unset (https://no-color.org).
 *
 * @param stream The output stream.
 * @returns Whether to colour.
 */
export function wantsColor(stream: { isTerminal(): boolean }): boolean {
  const noColor = Deno.permissions.querySync({ name: "env", variable: "NO_COLOR" }).state ===
      "granted" && (Deno.env.get("NO_COLOR") ?? "") !== "";
  return !noColor && stream.isTerminal();
}
