import { normalizeAnswer } from '../core/text/normalize.ts';

/**
 * Features that survive chat spelling: words, their character 3- and 4-grams
 * ("dkurung" shares most of them with "dikurung") and word pairs.
 */
export function intentFeaturesOf(text: string): Set<string> {
  const words = normalizeAnswer(text).split(' ').filter(Boolean);
  const features = new Set<string>();
  for (const word of words) {
    features.add(`w:${word}`);
    const padded = ` ${word} `;
    for (const size of [3, 4]) for (let i = 0; i + size <= padded.length; i++) features.add(`c${size}:${padded.slice(i, i + size)}`);
  }
  for (let i = 0; i + 1 < words.length; i++) features.add(`b:${words[i]}_${words[i + 1]}`);
  return features;
}
