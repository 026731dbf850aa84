/** Small helpers shared by the benchmark's halves. */

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `done` every 2 ms (short against a round of a second or so) until it holds. */
export async function waitFor(done: () => Promise<boolean>): Promise<void> {
  while (!(await done())) await sleep(2);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
