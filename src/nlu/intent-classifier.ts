import { containerBootstrap } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en-min';
import { LangId } from '@nlpjs/lang-id';
import { NluNeural } from '@nlpjs/nlu';
import { NaiveBayesIntents } from './naive-bayes-intents.ts';
import { INTENTS, type Intent } from './nlu-result.ts';

/** NLP.js language plugins by Pelita language code. */
const PLUGINS: Record<string, unknown> = { id: LangId, en: LangEn };

/** Weight of the naive Bayes posterior against NLP.js's score (chosen by cross-validation). */
const NAIVE_BAYES_WEIGHT = 0.5;

/**
 * Intent classification, one model pair per language, trained at start-up from the
 * utterances in nlu/training/<lng>.yaml: NLP.js's neural NLU averaged with a naive Bayes
 * model over chat-spelling features (see naive-bayes-intents.ts for the measurements).
 */
export class IntentClassifier {
  private constructor(
    private readonly models: Map<string, NluNeural>,
    private readonly bayes: Map<string, NaiveBayesIntents>,
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
    for (const [language, intents] of Object.entries(utterances)) {
      const model = new NluNeural({ locale: language, log: false }, container);
      const corpus = Object.entries(intents).flatMap(([intent, texts]) => texts.map((utterance) => ({ utterance, intent })));
      await model.train(corpus);
      models.set(language, model);
      bayes.set(language, new NaiveBayesIntents(corpus));
    }
    return new IntentClassifier(models, bayes);
  }

  /**
   * Intents by score, best first ("unknown" for what the model does not recognise). The
   * emergency score is given apart: the emergency detector decides with it.
   */
  async classify(text: string, language: string): Promise<{ ranked: { intent: Intent; score: number }[]; emergencyScore: number }> {
    const known = this.models.has(language) ? language : this.models.keys().next().value;
    const model = known === undefined ? undefined : this.models.get(known);
    const bayes = known === undefined ? undefined : this.bayes.get(known);
    if (!model || !bayes) return { ranked: [{ intent: 'unknown', score: 0 }], emergencyScore: 0 };
    const { classifications } = await model.process(text);
    const neural = new Map(classifications.map((c) => [c.intent, c.score]));
    const posterior = bayes.classify(text);
    const scores = new Map<string, number>();
    for (const intent of new Set([...neural.keys(), ...posterior.keys()])) {
      scores.set(intent, NAIVE_BAYES_WEIGHT * (posterior.get(intent) ?? 0) + (1 - NAIVE_BAYES_WEIGHT) * (neural.get(intent) ?? 0));
    }
    const ranked = [...scores]
      .sort((a, b) => b[1] - a[1])
      .map(([intent, score]) => ({ intent: (INTENTS as readonly string[]).includes(intent) ? (intent as Intent) : 'unknown', score }));
    return { ranked: ranked.length > 0 ? ranked : [{ intent: 'unknown', score: 0 }], emergencyScore: scores.get('emergency') ?? 0 };
  }
}
