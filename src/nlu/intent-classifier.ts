import { containerBootstrap } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en-min';
import { LangId } from '@nlpjs/lang-id';
import { NluNeural } from '@nlpjs/nlu';
import { intentFeaturesOf } from './intent-features.ts';
import { LogisticIntents, type LogisticState } from './logistic-intents.ts';
import { NaiveBayesIntents } from './naive-bayes-intents.ts';
import { INTENTS, type Intent } from './nlu-result.ts';

/** NLP.js language plugins by Pelita language code. */
const PLUGINS: Record<string, unknown> = { id: LangId, en: LangEn };

/** Settings of the logistic model, chosen by 5-fold cross-validation (`npm run bench:nlu-cv`). */
export const LOGISTIC_SETTINGS = { epochs: 30, learningRate: 1.5 };

/** NLP.js's own cache of prepared texts, per language: its `results` are kept for an hour with no bound. */
interface PrepareCache {
  cache?: { results?: Record<string, Record<string, unknown>> };
}

/**
 * Drops what NLP.js cached for one person's message. It keeps every text it prepares for an
 * hour, unbounded: distinct long messages grew the heap until the process died, and an
 * hour of people's words sat in memory where "delete my data" cannot reach. The training
 * utterances it prepared at start-up stay cached (those are bounded and nobody's).
 */
function forgetText(model: NluNeural, language: string, text: string): void {
  const results = (model as unknown as PrepareCache).cache?.results?.[language];
  if (results && !trainingTexts.has(text)) delete results[text];
}

/** What Pelita reaches of NLP.js's container: its plugins by name. */
interface NlpjsContainer {
  get(name: string): unknown;
}

/**
 * NLP.js's tokenizer keeps every text it tokenised for an hour and its stemmers every word
 * they stemmed, unbounded: emptied every this many messages, which bounds both (and what of
 * people's words they hold); they refill from the next messages at little cost.
 */
const CACHE_RESET_EVERY = 500;

/** The training utterances, whose prepared form NLP.js may keep. */
const trainingTexts = new Set<string>();

/** A trained classifier as plain JSON, per language (naive Bayes is retrained: it takes milliseconds). */
export interface IntentClassifierState {
  languages: Record<string, { neural: unknown; logistic: LogisticState }>;
}

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
  /** Messages classified since NLP.js's word caches were last emptied. */
  private sinceReset = 0;

  private constructor(
    private readonly container: NlpjsContainer,
    private readonly models: Map<string, NluNeural>,
    private readonly bayes: Map<string, NaiveBayesIntents>,
    private readonly logistic: Map<string, LogisticIntents>,
  ) {}

  static async train(utterances: Record<string, Record<string, string[]>>): Promise<IntentClassifier> {
    return IntentClassifier.build(utterances);
  }

  /**
   * The classifier `toJSON` left, given the same utterances (naive Bayes learns them again;
   * NLP.js and the logistic model are read back). Classifies exactly as the one trained.
   */
  static async fromJSON(utterances: Record<string, Record<string, string[]>>, state: IntentClassifierState): Promise<IntentClassifier> {
    return IntentClassifier.build(utterances, state);
  }

  toJSON(): IntentClassifierState {
    const languages: IntentClassifierState['languages'] = {};
    for (const [language, model] of this.models) {
      const logistic = this.logistic.get(language);
      if (logistic) languages[language] = { neural: model.toJSON(), logistic: logistic.toJSON() };
    }
    return { languages };
  }

  private static async build(
    utterances: Record<string, Record<string, string[]>>,
    state?: IntentClassifierState,
  ): Promise<IntentClassifier> {
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
      for (const { utterance } of corpus) trainingTexts.add(utterance);
      const saved = state?.languages[language];
      if (saved) model.fromJSON(saved.neural);
      else await model.train(corpus);
      models.set(language, model);
      bayes.set(language, new NaiveBayesIntents(corpus));
      logistic.set(language, saved ? LogisticIntents.fromJSON(saved.logistic) : new LogisticIntents(corpus, LOGISTIC_SETTINGS));
    }
    return new IntentClassifier(container as unknown as NlpjsContainer, models, bayes, logistic);
  }

  /**
   * Intents by score, best first ("unknown" for what the model does not recognise). The
   * emergency score is given apart: the emergency detector decides with it. `features`:
   * `intentFeaturesOf(text)`, when the caller has them already.
   */
  async classify(
    text: string,
    language: string,
    features: ReadonlySet<string> = intentFeaturesOf(text),
  ): Promise<{ ranked: { intent: Intent; score: number }[]; emergencyScore: number }> {
    const known = this.models.has(language) ? language : this.models.keys().next().value;
    const model = known === undefined ? undefined : this.models.get(known);
    const bayes = known === undefined ? undefined : this.bayes.get(known);
    const logistic = known === undefined ? undefined : this.logistic.get(known);
    if (!model || !bayes || !logistic) return { ranked: [{ intent: 'unknown', score: 0 }], emergencyScore: 0 };
    const { classifications } = await model.process(text);
    if (known !== undefined) forgetText(model, known, text);
    if (++this.sinceReset >= CACHE_RESET_EVERY) this.resetWordCaches();
    const neural = new Map(classifications.map((c) => [c.intent, c.score]));
    const scores = average(neural, bayes.classifyFeatures(features), logistic.classifyFeatures(features));
    const ranked = [...scores]
      .sort((a, b) => b[1] - a[1])
      .map(([intent, score]) => ({ intent: (INTENTS as readonly string[]).includes(intent) ? (intent as Intent) : 'unknown', score }));
    return { ranked: ranked.length > 0 ? ranked : [{ intent: 'unknown', score: 0 }], emergencyScore: scores.get('emergency') ?? 0 };
  }

  private resetWordCaches(): void {
    this.sinceReset = 0;
    for (const language of this.models.keys()) {
      const tokenizer = this.container.get(`tokenizer-${language}`) as { cache?: unknown } | undefined;
      if (tokenizer) tokenizer.cache = undefined;
      const stemmer = this.container.get(`stemmer-${language}`) as { cache?: unknown } | undefined;
      if (stemmer?.cache) stemmer.cache = {};
    }
  }
}
