import { containerBootstrap } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en-min';
import { LangId } from '@nlpjs/lang-id';
import { NluNeural } from '@nlpjs/nlu';
import { INTENTS, type Intent } from './nlu-result.ts';

/** NLP.js language plugins by Pelita language code. */
const PLUGINS: Record<string, unknown> = { id: LangId, en: LangEn };

/**
 * Intent classification with NLP.js's neural NLU, one model per language, trained at
 * start-up from the utterances in nlu/training/<lng>.yaml (about a second).
 */
export class IntentClassifier {
  private constructor(private readonly models: Map<string, NluNeural>) {}

  static async train(utterances: Record<string, Record<string, string[]>>): Promise<IntentClassifier> {
    const container = await containerBootstrap();
    for (const language of Object.keys(utterances)) {
      const plugin = PLUGINS[language];
      if (!plugin) throw new Error(`no NLP.js language plugin for "${language}"`);
      container.use(plugin);
    }
    const models = new Map<string, NluNeural>();
    for (const [language, intents] of Object.entries(utterances)) {
      const model = new NluNeural({ locale: language, log: false }, container);
      const corpus = Object.entries(intents).flatMap(([intent, texts]) => texts.map((utterance) => ({ utterance, intent })));
      await model.train(corpus);
      models.set(language, model);
    }
    return new IntentClassifier(models);
  }

  /**
   * Intents by score, best first ("unknown" for what the model does not recognise). The
   * emergency score is given apart: the emergency detector decides with it.
   */
  async classify(text: string, language: string): Promise<{ ranked: { intent: Intent; score: number }[]; emergencyScore: number }> {
    const model = this.models.get(language) ?? this.models.values().next().value;
    if (!model) return { ranked: [{ intent: 'unknown', score: 0 }], emergencyScore: 0 };
    const { classifications } = await model.process(text);
    const emergencyScore = classifications.find((c) => c.intent === 'emergency')?.score ?? 0;
    const ranked = classifications.map((c) => ({
      intent: (INTENTS as readonly string[]).includes(c.intent) ? (c.intent as Intent) : 'unknown',
      score: c.score,
    }));
    return { ranked: ranked.length > 0 ? ranked : [{ intent: 'unknown', score: 0 }], emergencyScore };
  }
}
