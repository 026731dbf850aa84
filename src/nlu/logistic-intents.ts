import { intentFeaturesOf } from './intent-features.ts';

export interface LogisticOptions {
  epochs: number;
  learningRate: number;
  /** L2 penalty, applied to the weights a sample touches (lazy, so training stays fast). */
  l2: number;
}

export interface LogisticState {
  features: string[];
  intents: string[];
  weights: number[];
  bias: number[];
}

const DEFAULTS: LogisticOptions = { epochs: 25, learningRate: 0.4, l2: 1e-5 };

/** A small seeded generator: the same training data always gives the same model. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Multinomial logistic regression over the same chat-spelling features as the naive Bayes
 * model, trained by stochastic gradient descent at start-up (well under a second for a few
 * thousand utterances). Being discriminative, it learns which words tell two close intents
 * apart ("cek lowongan" vs "cek agensi") instead of counting every word alike.
 */
export class LogisticIntents {
  private readonly featureIndex = new Map<string, number>();
  private readonly intents: string[];
  private readonly weights: Float64Array;
  private readonly bias: Float64Array;

  constructor(corpus: { utterance: string; intent: string }[], options: Partial<LogisticOptions> = {}) {
    const { epochs, learningRate, l2 } = { ...DEFAULTS, ...options };
    this.intents = [...new Set(corpus.map((entry) => entry.intent))].sort();
    const intentIndex = new Map(this.intents.map((intent, i) => [intent, i]));
    const samples = corpus.map(({ utterance, intent }) => ({
      features: this.indicesOf(intentFeaturesOf(utterance), true),
      label: intentIndex.get(intent)!,
    }));
    const classes = this.intents.length;
    this.weights = new Float64Array(this.featureIndex.size * classes);
    this.bias = new Float64Array(classes);
    const random = seededRandom(samples.length);
    const order = samples.map((_, i) => i);
    const probabilities = new Float64Array(classes);
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const rate = learningRate / (1 + epoch * 0.2);
      for (const sampleIndex of order) {
        const { features, label } = samples[sampleIndex]!;
        if (features.length === 0) continue;
        const value = 1 / Math.sqrt(features.length);
        this.scores(features, value, probabilities);
        for (let c = 0; c < classes; c++) {
          const gradient = probabilities[c]! - (c === label ? 1 : 0);
          this.bias[c]! -= rate * gradient;
          for (const f of features) {
            const w = f * classes + c;
            this.weights[w] = this.weights[w]! * (1 - rate * l2) - rate * gradient * value;
          }
        }
      }
    }
  }

  /** What a trained model is, as plain JSON (doubles survive JSON exactly). */
  toJSON(): LogisticState {
    return { features: [...this.featureIndex.keys()], intents: this.intents, weights: [...this.weights], bias: [...this.bias] };
  }

  /** A model as `toJSON` left it, without training again. */
  static fromJSON(state: LogisticState): LogisticIntents {
    // The constructor trains; a model read back only needs its fields.
    const model = Object.create(LogisticIntents.prototype) as LogisticIntents;
    Object.assign(model, {
      featureIndex: new Map(state.features.map((feature, index) => [feature, index])),
      intents: state.intents,
      weights: Float64Array.from(state.weights),
      bias: Float64Array.from(state.bias),
    });
    return model;
  }

  /** Probability of each intent. */
  classify(text: string): Map<string, number> {
    return this.classifyFeatures(intentFeaturesOf(text));
  }

  /** The same, from features already computed. */
  classifyFeatures(all: ReadonlySet<string>): Map<string, number> {
    const features = this.indicesOf(all, false);
    const probabilities = new Float64Array(this.intents.length);
    this.scores(features, features.length === 0 ? 0 : 1 / Math.sqrt(features.length), probabilities);
    return new Map(this.intents.map((intent, c) => [intent, probabilities[c]!]));
  }

  private indicesOf(features: ReadonlySet<string>, grow: boolean): number[] {
    const indices: number[] = [];
    for (const feature of features) {
      let index = this.featureIndex.get(feature);
      if (index === undefined && grow) {
        index = this.featureIndex.size;
        this.featureIndex.set(feature, index);
      }
      if (index !== undefined) indices.push(index);
    }
    return indices;
  }

  /** Softmax of the linear scores, written into `out`. */
  private scores(features: number[], value: number, out: Float64Array): void {
    const classes = this.intents.length;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < classes; c++) {
      let score = this.bias[c]!;
      for (const f of features) score += (this.weights[f * classes + c] ?? 0) * value;
      out[c] = score;
      if (score > max) max = score;
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      out[c] = Math.exp(out[c]! - max);
      sum += out[c]!;
    }
    for (let c = 0; c < classes; c++) out[c]! /= sum;
  }
}
