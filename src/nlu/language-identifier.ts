import { normalizeAnswer } from '../core/text/normalize.ts';

/**
 * Tells Indonesian from English in short, informal chat. General detectors (franc and
 * the like) read "sy gk tau" as Malay or Javanese; this one is a naive Bayes model over
 * words and character trigrams trained on Pelita's own chat utterances, with the
 * person's stored language as a prior so that "ok" or "1" keeps their language.
 */
export class LanguageIdentifier {
  private readonly models = new Map<string, { counts: Map<string, number>; total: number }>();
  private vocabulary = new Set<string>();

  constructor(
    training: Record<string, string[]>,
    /** Log-odds added for the person's stored language. */
    private readonly priorWeight = 2,
  ) {
    for (const [language, texts] of Object.entries(training)) {
      const counts = new Map<string, number>();
      let total = 0;
      for (const text of texts) {
        for (const feature of features(text)) {
          counts.set(feature, (counts.get(feature) ?? 0) + 1);
          this.vocabulary.add(feature);
          total += 1;
        }
      }
      this.models.set(language, { counts, total });
    }
  }

  get languages(): string[] {
    return [...this.models.keys()];
  }

  /** The most likely language, and how sure (0.5 = a coin toss between two). */
  identify(text: string, prior?: string): { language: string; confidence: number } {
    const found = features(text);
    const vocabularySize = this.vocabulary.size + 1;
    const scores = [...this.models.entries()].map(([language, model]) => {
      let score = language === prior ? this.priorWeight : 0;
      for (const feature of found) {
        // Add-one smoothing: an unseen feature costs every language the same amount.
        score += Math.log(((model.counts.get(feature) ?? 0) + 1) / (model.total + vocabularySize));
      }
      return { language, score };
    });
    scores.sort((a, b) => b.score - a.score);
    const [best, second] = scores;
    if (!best) throw new Error('the language identifier has no languages');
    if (!second) return { language: best.language, confidence: 1 };
    const confidence = 1 / (1 + Math.exp(second.score - best.score));
    return { language: best.language, confidence };
  }
}

/** Words (weighted double) and character trigrams of the normalised text. */
function features(text: string): string[] {
  const normalized = normalizeAnswer(text);
  if (normalized === '') return [];
  const words = normalized.split(' ');
  const result: string[] = [];
  for (const word of words) {
    if (/^\d+$/.test(word)) continue;
    result.push(`w:${word}`, `w:${word}`);
    const padded = ` ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) result.push(`c:${padded.slice(i, i + 3)}`);
  }
  return result;
}
