/**
 * The edit distance between two strings: the fewest single-character
 * insertions, deletions, substitutions and swaps of two neighbouring
 * characters that turn one into the other (optimal string alignment).
 *
 * @param a One string.
 * @param b The other string.
 * @returns The distance; 0 when the strings are equal.
 *
 * @example
 * ```ts ignore
 * editDistance("wach", "watch"); // 1
 * editDistance("wacth", "watch"); // 1
 * ```
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/**
 * The largest edit distance at which a known name still counts as close to
 * what was typed: one edit per three characters typed, and at least one.
 *
 * @param input What was typed.
 * @returns The largest distance that still counts as a typo.
 */
export function maxTypoDistance(input: string): number {
  return Math.max(1, Math.floor(input.length / 3));
}

/**
 * Picks the known name closest to what was typed, for a "did you mean"
 * suggestion. Nothing is suggested when no name is within
 * {@linkcode maxTypoDistance}; of equally close names the first wins.
 *
 * @param input What was typed, e.g. `wach`.
 * @param candidates The known names, e.g. every flag of a command.
 * @returns The closest known name, or `undefined` when none is close.
 *
 * @example
 * ```ts ignore
 * closestMatch("wach", ["json", "watch"]); // "watch"
 * closestMatch("deploy", ["init", "dev"]); // undefined
 * ```
 */
export function closestMatch(
  input: string,
  candidates: readonly string[],
): string | undefined {
  let best: string | undefined;
  let bestDistance = maxTypoDistance(input) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(input, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
