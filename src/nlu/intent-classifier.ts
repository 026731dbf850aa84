import { containerBootstrap } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en-min';
import { LangId } from '@nlpjs/lang-id';
import { NluNeural } from '@nlpjs/nlu';
import { intentFeaturesOf } from './intent-features.ts';
import { LogisticIntents } from './logistic-intents.ts';
import { NaiveBayesIntents } from './naive-bayes-intents.ts';
import { INTENTS, type Intent } from './nlu-result.ts';

/** NLP.js language plugins by Pelita language code. */
const PLUGINS: Record<string, unknown> = { id: LangId, en: LangEn };

/** Settings of the logistic model, chosen by 5-fold cross-validation (`npm run bench:nlu-cv`). */
export const LOGISTIC_SETTINGS = { epochs: 30, learningRate: 1.5 };

/** Scores of several models for the same message, averaged intent by intent. */
function average(...models: Map<string, number>[]): Map<string, number> {
  const sum = new Map<string, number>();
  for (const scores of models) for (const [intent, score] of scores) sum.set(intent, (sum.get(intent) ?? 0) + score / models.length);
  return sum;
}

/**
 * Intent classification, three models per language trained at start-up from the
 * utterances in nlu/training/<lng>.yaml, their scores averaged: NLP.js's neural NLU, a naive
 * Bayes model and a logistic regression over chat-spelling features. They err on different
 * messages; 5-fold cross-validation on the training utterances: NLP.js 0.84, naive Bayes
 * 0.89, logistic 0.89, naive Bayes + NLP.js 0.90, all three 0.92.
 */
export class IntentClassifier {
  private constructor(
    private readonly models: Map<string, NluNeural>,
    private readonly bayes: Map<string, NaiveBayesIntents>,
    private readonly logistic: Map<string, LogisticIntents>,
  ) {}

  static async train(utterances: Record<string, Record<string, string[]>>): Promise<IntentClassifier> {
    const container = await containerBootstrap();
    for (const language of Object.keys(utterances)) {
      const plugin = PLUGINS[language];
      if (!plugin) throw new Error(`no NLP.js language plugin for "${language}"`);
      container.use(plugin);
    }
    const models = new Map<string, NluNeural>();
    const bayes = new Map<string, NaiveBayesIntents>();
    const logistic = new Map<string, LogisticIntents>();
    for (const [language, intents] of Object.entries(utterances)) {
      const model = new NluNeural({ locale: language, log: false }, container);
      const corpus = Object.entries(intents).flatMap(([intent, texts]) => texts.map((utterance) => ({ utterance, intent })));
      await model.train(corpus);
      models.set(language, model);
      bayes.set(language, new NaiveBayesIntents(corpus));
      logistic.set(language, new LogisticIntents(corpus, LOGISTIC_SETTINGS));
    }
    return new IntentClassifier(models, bayes, logistic);
  }

  /**
   * Intents by score, best first ("unknown" for what the model does not recognise). The
   * emergency score is given apart: the emergency detector decides with it.
   */
  async classify(text: string, language: string): Promise<{ ranked: { intent: Intent; score: number }[]; emergencyScore: number }> {
    const known = this.models.has(language) ? language : this.models.keys().next().value;
    const model = known === undefined ? undefined : this.models.get(known);
    const bayes = known === undefined ? undefined : this.bayes.get(known);
    const logistic = known === undefined ? undefined : this.logistic.get(known);
    if (!model || !bayes || !logistic) return { ranked: [{ intent: 'unknown', score: 0 }], emergencyScore: 0 };
    const { classifications } = await model.process(text);
    const neural = new Map(classifications.map((c) => [c.intent, c.score]));
    const features = intentFeaturesOf(text);
    const scores = average(neural, bayes.classifyFeatures(features), logistic.classifyFeatures(features));
    const ranked = [...scores]
      .sort((a, b) => b[1] - a[1])
      .map(([intent, score]) => ({ intent: (INTENTS as readonly string[]).includes(intent) ? (intent as Intent) : 'unknown', score }));
    return { ranked: ranked.length > 0 ? ranked : [{ intent: 'unknown', score: 0 }], emergencyScore: scores.get('emergency') ?? 0 };
  }
}
