/**
 * Memory under distinct long messages: 50,000 different 4 KB messages through what the
 * worker runs on every text (the NLU, the situation cues, the answer bank's guard), after
 * a warm-up of 2,000. Caches that keep every text (NLP.js kept them for an hour) show up as
 * growth; the ratio of RSS after to RSS after the warm-up should stay near 1.
 */
import type { AnswerRetriever } from '../src/nlu/answer-retriever.ts';
import type { Nlu } from '../src/nlu/nlu.ts';
import { understandText } from '../src/nlu/understand.ts';
import type { PlaceDirectory } from '../src/content/place-directory.ts';

const WARMUP = 2000;
const MESSAGES = 50_000;

/** A different 4 KB message each time, in chat Indonesian. */
const longMessage = (n: number) => `${`sy kerja di pabrik ${n} majikan baik tp gaji telat `.repeat(80).slice(0, 4000)} ${n}`;

export async function rssGrowthRatio(nlu: Nlu, places: PlaceDirectory, answers: AnswerRetriever | undefined): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let n = 0; n < WARMUP; n++) await understandText(nlu, longMessage(n), 'id', places, answers);
  gc?.();
  const warm = process.memoryUsage().rss;
  for (let n = WARMUP; n < WARMUP + MESSAGES; n++) await understandText(nlu, longMessage(n), 'id', places, answers);
  gc?.();
  return Number((process.memoryUsage().rss / warm).toFixed(2));
}
