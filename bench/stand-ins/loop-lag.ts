/**
 * How late this process's event loop has been lately. A stand-in timestamps a request when
 * its loop gets to it: after a stall, requests that arrived a few hundred milliseconds
 * apart are all seen at once and may look like a burst over the limit. Each refusal
 * records the worst lag of the second before it, so a refusal caused by the stand-in's own
 * stall can be told from one caused by the sender.
 */
const TICK_MS = 10;
const samples: { at: number; lagMs: number }[] = [];
let timer: NodeJS.Timeout | undefined;

function tick(expected: number): void {
  const now = performance.now();
  samples.push({ at: now, lagMs: Math.max(0, now - expected) });
  while (samples.length > 0 && (samples[0] as { at: number }).at < now - 2000) samples.shift();
  timer = setTimeout(() => tick(performance.now() + TICK_MS), TICK_MS);
  timer.unref();
}

export function watchLoopLag(): void {
  if (!timer) tick(performance.now());
}

/** The longest the loop was late in the last `ms` milliseconds, including now. */
export function worstLagMs(ms = 1000): number {
  const now = performance.now();
  // A stall that has just ended shows in no tick yet: the time since the last one.
  const last = samples.at(-1);
  let worst = last ? now - last.at - TICK_MS : 0;
  for (const sample of samples) if (sample.at >= now - ms) worst = Math.max(worst, sample.lagMs);
  return Math.round(worst);
}
