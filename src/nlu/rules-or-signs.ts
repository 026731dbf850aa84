import { intentFeaturesOf } from './intent-features.ts';
import { LogisticIntents } from './logistic-intents.ts';
import { NaiveBayesIntents } from './naive-bayes-intents.ts';
import type { Intent } from './nlu-result.ts';

/** The two intents the labelling guide's first rule tells apart. */
export const RULES_OR_SIGNS: readonly Intent[] = ['migrate_safely', 'warning_signs'];

/** Same settings as the intent ensemble's logistic model: two classes need no others. */
const LOGISTIC_SETTINGS = { epochs: 30, learningRate: 1.5 };

/**
 * A second opinion between a worker's own rules (`migrate_safely`) and how traffickers work
 * (`warning_signs`), trained on the lines of those two intents as the labelling guide files
 * them (nlu/LABELS.md, rule 1). The shared intent model still learns the oldest rules
 * questions as warning signs, because its emergency score, on which the alarm thresholds
 * were calibrated, gained false alarms when they moved. When that model's best safe intent
 * is one of the two, their combined score is shared out by this model, so the alarm stays
 * as calibrated and the label follows the guide. A naive Bayes and a logistic model,
 * averaged, as in the ensemble (a third, NLP.js, would double the start-up time for the
 * one distinction).
 */
export class RulesOrSigns {
  private constructor(private readonly models: Map<string, { bayes: NaiveBayesIntents; logistic: LogisticIntents }>) {}

  /** `utterances`: per language, per intent, as the training files label them. */
  static train(utterances: Record<string, Record<string, string[]>>): RulesOrSigns {
    const models = new Map<string, { bayes: NaiveBayesIntents; logistic: LogisticIntents }>();
    for (const [language, intents] of Object.entries(utterances)) {
      const corpus = RULES_OR_SIGNS.flatMap((intent) => (intents[intent] ?? []).map((utterance) => ({ utterance, intent })));
      if (RULES_OR_SIGNS.some((intent) => !corpus.some((entry) => entry.intent === intent))) continue;
      models.set(language, { bayes: new NaiveBayesIntents(corpus), logistic: new LogisticIntents(corpus, LOGISTIC_SETTINGS) });
    }
    return new RulesOrSigns(models);
  }

  /**
   * The ranking with the two intents' combined score shared out by this model, when the
   * best intent that is not an emergency is one of them; otherwise the ranking as it is.
   */
  rerank<T extends { intent: Intent; score: number }>(ranked: T[], text: string, language: string): T[] {
    const best = ranked.find((entry) => entry.intent !== 'emergency');
    const model = this.models.get(language);
    if (!model || !best || !RULES_OR_SIGNS.includes(best.intent)) return ranked;
    const features = intentFeaturesOf(text);
    const bayes = model.bayes.classifyFeatures(features);
    const logistic = model.logistic.classifyFeatures(features);
    const share = (intent: Intent) => ((bayes.get(intent) ?? 0) + (logistic.get(intent) ?? 0)) / 2;
    const combined = ranked.filter((entry) => RULES_OR_SIGNS.includes(entry.intent)).reduce((sum, entry) => sum + entry.score, 0);
    return ranked
      .map((entry) => (RULES_OR_SIGNS.includes(entry.intent) ? { ...entry, score: combined * share(entry.intent) } : entry))
      .sort((a, b) => b.score - a.score);
  }
}
