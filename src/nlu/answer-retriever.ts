import type { AnswerBank } from '../content/answer-bank.ts';
import { normalizeAnswer } from '../core/text/normalize.ts';

/** Longer than this, a message is a pasted offer or a story, not a question to look up. */
export const MAX_QUESTION_CHARS = 320;

/** One card a message may be asking for, with how alike the message is to its closest question (0-1). */
export interface CardMatch {
  card: string;
  confidence: number;
}

/**
 * When a lookup is sure enough to answer at once: from `answer` up, unless the next card is
 * within `close` of it (then the person picks from "did you mean ...?"). Between `suggest`
 * and `answer`, the engine asks; below `suggest`, the bank stays silent.
 */
export interface AnswerThresholds {
  answer: number;
  suggest: number;
  close: number;
}

export function answersAtOnce(
  found: { confidence: number; alternatives: readonly { confidence: number }[] },
  policy: AnswerThresholds,
): boolean {
  const next = found.alternatives[0];
  const close = next !== undefined && next.confidence >= policy.suggest && found.confidence - next.confidence < policy.close;
  return found.confidence >= policy.answer && !close;
}

/** What the bank has for one message: the best card and the next ones, best first. */
export interface Retrieval {
  card: string | undefined;
  confidence: number;
  alternatives: CardMatch[];
}

/**
 * Chat spellings folded into the word the cards' questions may use instead: "sy gk blh"
 * and "saya tidak boleh" must meet. Only words that never mean anything else.
 */
const CHAT_SPELLING: Record<string, string> = {
  sy: 'saya',
  sya: 'saya',
  aku: 'saya',
  aq: 'saya',
  gw: 'saya',
  gue: 'saya',
  gk: 'tidak',
  gak: 'tidak',
  ga: 'tidak',
  nggak: 'tidak',
  ngga: 'tidak',
  enggak: 'tidak',
  tdk: 'tidak',
  tak: 'tidak',
  gmn: 'bagaimana',
  gimana: 'bagaimana',
  gmna: 'bagaimana',
  bgmn: 'bagaimana',
  gmana: 'bagaimana',
  yg: 'yang',
  dr: 'dari',
  utk: 'untuk',
  buat: 'untuk',
  klo: 'kalau',
  kalo: 'kalau',
  kl: 'kalau',
  udh: 'sudah',
  udah: 'sudah',
  sdh: 'sudah',
  dah: 'sudah',
  blm: 'belum',
  blom: 'belum',
  brp: 'berapa',
  bs: 'bisa',
  bisakah: 'bisa',
  blh: 'boleh',
  jd: 'jadi',
  krn: 'karena',
  karna: 'karena',
  tp: 'tapi',
  dgn: 'dengan',
  ama: 'dengan',
  sm: 'sama',
  org: 'orang',
  kmn: 'kemana',
  dmn: 'dimana',
  lg: 'lagi',
  skrg: 'sekarang',
  pny: 'punya',
  hrs: 'harus',
  msh: 'masih',
  bln: 'bulan',
  thn: 'tahun',
  taun: 'tahun',
  th: 'tahun',
  jt: 'juta',
  jta: 'juta',
  ngurus: 'urus',
  ngurusin: 'urus',
  mendaftar: 'daftar',
  pingin: 'ingin',
  pengen: 'ingin',
  pgn: 'ingin',
  mo: 'mau',
  pasport: 'paspor',
  passpor: 'paspor',
  passport: 'paspor',
  pasprt: 'paspor',
  u: 'you',
  ur: 'your',
  r: 'are',
  pls: 'please',
  plz: 'please',
  wat: 'what',
  wht: 'what',
  hw: 'how',
  cn: 'can',
  cant: 'cannot',
  im: 'i',
  iam: 'i',
  dont: 'not',
  didnt: 'not',
  doesnt: 'not',
  isnt: 'not',
  wont: 'not',
  no: 'not',
  hongkong: 'hong kong',
  hk: 'hong kong',
  tw: 'taiwan',
  msia: 'malaysia',
  malay: 'malaysia',
  ksa: 'saudi',
  tki: 'pmi',
  tkw: 'pmi',
  bpjstk: 'bpjs',
};

/** Words that carry no topic in either language; the weighting already discounts common words, this removes noise. */
const STOPWORDS = new Set(
  'saya kamu anda dia kita kami ini itu yang di ke dari dan atau ya kak min mas mbak bang sis sih deh dong nih kok lah tuh aja saja juga mau ada apa bagaimana kenapa gitu the a an is are am i you my me to of in on at for and or do does be it this that what how why please sir madam hi halo hello'.split(
    ' ',
  ),
);

type Vector = Map<string, number>;

/**
 * A light stemmer for both languages: "dipotong", "potongan", "potongnya" and "potong" meet,
 * as do "workers" and "worker". Only affixes that rarely change the meaning, and never on
 * short words, where they collide ("dia", "kan").
 */
function stem(word: string): string {
  if (word.length <= 5) return word;
  let stemmed = word.replace(/(nya|lah|kah|pun)$/, '');
  if (stemmed.length > 5) stemmed = stemmed.replace(/(kan|an|ing|ed|es)$/, '');
  else if (stemmed.length > 4) stemmed = stemmed.replace(/s$/, '');
  if (stemmed.length > 5) stemmed = stemmed.replace(/^(di|ter|ber|me[mn]?|pe[mn]?)/, '');
  return stemmed.length >= 3 ? stemmed : word;
}

/** An age said as a number ("I am 16", "umur 17 thn") is a question about age, whatever the number. */
const AGE_SAID =
  /\b(i am|im|i m|umur|umurku|usia|age|aged|saya|sy|aku|anak\w*|adik\w*)\s+(1\d|[2-6]\d)\b|\b(1\d|[2-6]\d)\s*(tahun|thn|th|taun|years?|yrs?|yo)\b/;

/** A word's features: the word (folded), and character 4-grams that survive typos ("pasport"/"paspor"). */
function featuresOf(text: string): { words: string[]; grams: string[] } {
  const normalized = normalizeAnswer(text);
  const words = (AGE_SAID.test(normalized) ? `${normalized} umur age` : normalized)
    .split(' ')
    .flatMap((word) => (CHAT_SPELLING[word] ?? word).split(' '))
    // Numbers ("16", "20 juta", "3 bulan") say little about which card: an age said as a number is kept as "umur" above.
    .filter((word) => word.length > 0 && !STOPWORDS.has(word) && !/^\d+$/.test(word))
    .map(stem);
  const grams: string[] = [];
  for (const word of words) {
    if (word.length < 4) continue;
    const padded = ` ${word} `;
    for (let i = 0; i + 4 <= padded.length; i++) grams.push(padded.slice(i, i + 4));
  }
  return { words, grams };
}

/**
 * Term counts scaled by inverse document frequency, normalised to length 1. A term no
 * document has (`unknown`) still counts in the length, as the rarest term would: "tell me a
 * joke" is mostly words no card knows, and must not match a card on "tell" alone.
 */
function weigh(terms: string[], idf: ReadonlyMap<string, number>, unknown = 0): Vector {
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  const vector: Vector = new Map();
  let norm = 0;
  for (const [term, count] of counts) {
    const known = idf.get(term);
    const weight = (1 + Math.log(count)) * (known ?? unknown);
    if (weight <= 0) continue;
    if (known !== undefined) vector.set(term, weight);
    norm += weight * weight;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [term, weight] of vector) vector.set(term, weight / norm);
  return vector;
}

function inverseFrequencies(documents: string[][]): Map<string, number> {
  const seen = new Map<string, number>();
  for (const terms of documents) for (const term of new Set(terms)) seen.set(term, (seen.get(term) ?? 0) + 1);
  const idf = new Map<string, number>();
  for (const [term, count] of seen) idf.set(term, Math.log(1 + documents.length / count));
  return idf;
}

/** The retrieval's weights, chosen on the development questions (`npm run bench:answers-calibrate`). */
export interface RetrievalSettings {
  /** How much the whole-word similarity counts against the typo-tolerant character one. */
  wordWeight: number;
  /** How much the whole card (all its questions and its answer) counts against its closest question. */
  cardWeight: number;
  /** How much a word no card knows weighs against the message's known words (1: as much as the rarest word). */
  unknownWeight: number;
}
export const RETRIEVAL_SETTINGS: RetrievalSettings = { wordWeight: 0.8, cardWeight: 0.8, unknownWeight: 1 };

/** The documents holding one term, with the term's weight in each (parallel arrays). */
interface Postings {
  positions: number[];
  weights: number[];
}

/**
 * An index of documents: for each term, the documents holding it and its weight there.
 * Scores are summed in a flat array over the postings, not in maps: every typed message
 * is looked up, and maps made the lookup the largest cost of a turn (docs/decisions/README.md).
 */
class Index {
  readonly wordIdf: Map<string, number>;
  readonly gramIdf: Map<string, number>;
  private readonly cardOf: string[];
  private readonly byWord = new Map<string, Postings>();
  private readonly byGram = new Map<string, Postings>();
  private readonly unknownWord: number;
  private readonly unknownGram: number;
  /** Scratch space for one lookup's scores (a lookup runs to the end without yielding). */
  private readonly scores: Float64Array;

  constructor(raw: { card: string; words: string[]; grams: string[] }[], unknownWeight: number) {
    this.wordIdf = inverseFrequencies(raw.map((document) => document.words));
    this.gramIdf = inverseFrequencies(raw.map((document) => document.grams));
    this.unknownWord = unknownWeight * Math.log(1 + raw.length);
    this.unknownGram = unknownWeight * Math.log(1 + raw.length);
    this.cardOf = raw.map((document) => document.card);
    this.scores = new Float64Array(raw.length);
    const post = (index: Map<string, Postings>, vector: Vector, position: number) => {
      for (const [term, weight] of vector) {
        let postings = index.get(term);
        if (!postings) {
          postings = { positions: [], weights: [] };
          index.set(term, postings);
        }
        postings.positions.push(position);
        postings.weights.push(weight);
      }
    };
    raw.forEach((document, position) => {
      post(this.byWord, weigh(document.words, this.wordIdf), position);
      post(this.byGram, weigh(document.grams, this.gramIdf), position);
    });
  }

  /** Each card's best similarity to the message over its documents here. */
  scoreCards(features: { words: string[]; grams: string[] }, wordWeight: number): Map<string, number> {
    const scores = this.scores;
    // Documents in the order first reached, so that ties rank the same way every time.
    const touched: number[] = [];
    const add = (vector: Vector, index: Map<string, Postings>, factor: number) => {
      for (const [term, weight] of vector) {
        const postings = index.get(term);
        if (!postings) continue;
        const { positions, weights } = postings;
        for (let i = 0; i < positions.length; i++) {
          const position = positions[i]!;
          const before = scores[position]!;
          if (before === 0) touched.push(position);
          scores[position] = before + factor * weight * weights[i]!;
        }
      }
    };
    add(weigh(features.words, this.wordIdf, this.unknownWord), this.byWord, wordWeight);
    add(weigh(features.grams, this.gramIdf, this.unknownGram), this.byGram, 1 - wordWeight);
    const byCard = new Map<string, number>();
    for (const position of touched) {
      const score = scores[position]!;
      scores[position] = 0;
      const card = this.cardOf[position]!;
      if (score > (byCard.get(card) ?? 0)) byCard.set(card, score);
    }
    return byCard;
  }
}

/**
 * Finds the card a free-text message asks for. Every phrasing in the cards' `questions` is
 * a document, and so is each whole card (its questions and its answer); a message is
 * compared with each (cosine similarity of TF-IDF vectors over folded words, and over
 * character 4-grams for typos), and a card scores its closest phrasing blended with the
 * whole card. Chosen over NLP.js's classifier because it needs no training at start-up and
 * over BM25 because its score is bounded (0-1), which the engine's thresholds need;
 * `npm run bench` reports its accuracy on held-out questions and its time per lookup.
 */
export class AnswerRetriever {
  private readonly questions: Index;
  private readonly cards: Index;

  constructor(
    bank: AnswerBank,
    private readonly settings: RetrievalSettings = RETRIEVAL_SETTINGS,
  ) {
    this.questions = new Index(
      bank.cards.flatMap((card) => [...card.questions.id, ...card.questions.en].map((text) => ({ card: card.id, ...featuresOf(text) }))),
      settings.unknownWeight,
    );
    this.cards = new Index(
      bank.cards.map((card) => {
        const features = featuresOf([...card.questions.id, ...card.questions.en, card.answer.id, card.answer.en].join(' '));
        return { card: card.id, ...features };
      }),
      settings.unknownWeight,
    );
  }

  /** The best cards for a message, best first (at most `limit`). */
  find(text: string, limit = 3): Retrieval {
    const features = featuresOf(text);
    const byQuestion = this.questions.scoreCards(features, this.settings.wordWeight);
    const byCard = this.cards.scoreCards(features, this.settings.wordWeight);
    const combined = new Map<string, number>();
    for (const card of new Set([...byQuestion.keys(), ...byCard.keys()])) {
      combined.set(card, (1 - this.settings.cardWeight) * (byQuestion.get(card) ?? 0) + this.settings.cardWeight * (byCard.get(card) ?? 0));
    }
    const ranked = [...combined]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([card, score]) => ({ card, confidence: Math.round(Math.min(1, score) * 1000) / 1000 }));
    const best = ranked[0];
    return { card: best?.card, confidence: best?.confidence ?? 0, alternatives: ranked.slice(1) };
  }
}
