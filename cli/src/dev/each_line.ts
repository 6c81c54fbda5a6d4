/**
 * Calls `onLine` with every line a byte stream carries (the last one even
 * without a trailing newline), until the stream ends.
 *
 * @param stream A process's stdout or stderr.
 * @param onLine Receives each line, without its newline.
 * @returns Resolves when the stream has ended.
 */
export async function eachLine(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  let buffer = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      onLine(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
    }
  }
  if (buffer !== "") onLine(buffer);
}
