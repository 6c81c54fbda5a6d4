/**
 * Reads how much memory a process holds, from Linux's
 * `/proc/<pid>/smaps_rollup`: its private memory (pages no other process
 * maps, `Private_Clean` + `Private_Dirty`), which is what the process
 * itself adds to the machine, and its resident set. Deno only lets a
 * process read `/proc` with `--allow-all`, so the file is read with `cat`,
 * which the benchmark's `--allow-run` already permits.
 *
 * @module
 */

/** A process's memory, in KiB. */
export interface ProcessMemory {
  /** `Private_Clean` + `Private_Dirty`: resident pages no other process maps. */
  privateKib: number;
  /** `Rss`: every resident page, shared ones included. */
  rssKib: number;
}

/**
 * Reads a process's private and resident memory.
 *
 * @param pid The process id.
 * @returns The memory, in KiB.
 * @throws {Error} When the file cannot be read (not Linux, or the process is gone).
 */
export async function readProcessMemory(pid: number): Promise<ProcessMemory> {
  const path = `/proc/${pid}/smaps_rollup`;
  const output = await new Deno.Command("cat", { args: [path], stderr: "null" }).output();
  if (!output.success) {
    throw new Error(
      `Cannot read the memory of process ${pid}: cat ${path} exited with code ${output.code}`,
    );
  }
  return parseSmapsRollup(new TextDecoder().decode(output.stdout));
}

/**
 * Picks the private and resident memory out of the text of
 * `/proc/<pid>/smaps_rollup`.
 *
 * @param text The file's text.
 * @returns The memory, in KiB.
 * @throws {Error} When a field is missing.
 */
export function parseSmapsRollup(text: string): ProcessMemory {
  const field = (name: string): number => {
    const value = text.match(new RegExp(`^${name}:\\s+(\\d+) kB$`, "m"))?.[1];
    if (value === undefined) throw new Error(`Cannot find ${name} in smaps_rollup`);
    return Number(value);
  };
  return {
    privateKib: field("Private_Clean") + field("Private_Dirty"),
    rssKib: field("Rss"),
  };
}
