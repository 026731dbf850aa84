import type { AskNode, Choice, VariableValue } from '../../flows/flow-schema.ts';
import { normalizeAnswer } from '../../core/text/normalize.ts';
import { BUILT_IN_CHOICES, choicesOf } from '../render-reply.ts';
import type { Turn } from '../turn.ts';
import type { Translator } from '../../content/translator.ts';
import { matchChoice, matchesChoiceExactly } from './match-choice.ts';
import { parseNumber } from './parse-number.ts';
import { parseYesNo } from './parse-yes-no.ts';

export type Answer =
  | { kind: 'valid'; values: Record<string, VariableValue>; goto?: string | undefined; choice?: Choice }
  | { kind: 'skipped' }
  | { kind: 'invalid' };

/** Longer than this, an answer to "where are you?" is something else: a pasted offer, a story. */
const MAX_PLACE_ANSWER_WORDS = 12;

const SKIP_WORDS = new Set(['skip', 'lewati', 'lewat', 'lompati', 'nanti saja', 'nanti aja', 'pass']);

const normalizedLabels = new WeakMap<Translator, Map<string, readonly string[]>>();

/** A choice's label in every language, normalised: the same for every message, so kept. */
function labelsIn(turn: Turn): (choice: Choice) => readonly string[] {
  const { translator } = turn.ctx;
  let byKey = normalizedLabels.get(translator);
  if (!byKey) {
    byKey = new Map();
    normalizedLabels.set(translator, byKey);
  }
  const known = byKey;
  return (choice) => {
    let labels = known.get(choice.label);
    if (!labels) {
      labels = translator.languages.map((language) => normalizeAnswer(translator.t(choice.label, language)));
      known.set(choice.label, labels);
    }
    return labels;
  };
}

/** The choice a person picked from a menu, by id, number or label in any language. */
export function chooseFrom(turn: Turn, choices: readonly Choice[]): Choice | undefined {
  return matchChoice(choices, turn.inbound, labelsIn(turn));
}

/** Whether the message is plainly an answer to the menu: a button, a number or a whole label. */
export function plainlyChooses(turn: Turn, choices: readonly Choice[]): boolean {
  return matchesChoiceExactly(choices, turn.inbound, labelsIn(turn));
}

/** Reads the answer to an `ask`, by its input kind, into the variables it sets. */
export function parseAnswer(turn: Turn, node: AskNode): Answer {
  const { inbound } = turn;
  const text = inbound.text?.trim() ?? '';
  const picked = chooseFrom(turn, choicesOf(node));
  if (node.skippable && (picked?.id === BUILT_IN_CHOICES.skip || SKIP_WORDS.has(normalizeAnswer(text)))) return { kind: 'skipped' };
  const into = node.into;
  const valid = (values: Record<string, VariableValue>, choice?: Choice): Answer => ({ kind: 'valid', values, goto: choice?.goto, choice });

  switch (node.input) {
    case 'choice':
      return picked && picked.id !== BUILT_IN_CHOICES.skip
        ? valid({ [into]: picked.id, ...(picked.set ?? {}) }, picked)
        : { kind: 'invalid' };
    case 'choices': {
      const ids = pickSeveral(turn, node, picked);
      return ids ? valid({ [into]: ids.join(',') }) : { kind: 'invalid' };
    }
    case 'yes_no': {
      const value = picked?.id === BUILT_IN_CHOICES.yes ? true : picked?.id === BUILT_IN_CHOICES.no ? false : parseYesNo(text);
      return value === undefined ? { kind: 'invalid' } : valid({ [into]: value });
    }
    case 'number': {
      const value = parseNumber(text);
      if (value === undefined) return { kind: 'invalid' };
      if ((node.min !== undefined && value < node.min) || (node.max !== undefined && value > node.max)) return { kind: 'invalid' };
      return valid({ [into]: value });
    }
    case 'text': {
      if (
        text === '' ||
        (node.max_length !== undefined && text.length > node.max_length) ||
        (node.min_length !== undefined && text.length < node.min_length)
      ) {
        return { kind: 'invalid' };
      }
      return valid({ [into]: text });
    }
    case 'country':
    case 'province':
    case 'district': {
      // A place question may offer the common answers as buttons ("Malaysia", "Di Indonesia").
      if (picked && picked.id !== BUILT_IN_CHOICES.skip) return valid({ ...(picked.set ?? {}) }, picked);
      // A shared location answers "where are you?" too; flows use the coordinates.
      if (inbound.location && node.input !== 'country') return valid(coordinates(into, inbound.location));
      // A pasted text (a job offer) names places that are not where the person is.
      if (text.split(/\s+/).length > MAX_PLACE_ANSWER_WORDS) return { kind: 'invalid' };
      const places = turn.ctx.places.match(node.input, text);
      const found = places.length > 0 ? places : turn.ctx.places.findIn(node.input, text);
      const place = found[0];
      // "Which district?" answered "Malaysia", or any place question answered "di kapal":
      // where they are, all the same.
      if (!place) return node.input === 'country' ? atSea(text) : (countryNamed(turn, text) ?? atSea(text));
      return valid({
        [into]: place.code,
        [`${into}_name`]: place.name,
        ...(place.provinceCode ? { [`${into}_province`]: place.provinceCode } : {}),
      });
    }
    case 'location': {
      const location = inbound.location;
      if (!location) return { kind: 'invalid' };
      return valid(coordinates(into, location));
    }
  }
}

/** The choice id that stands for every other choice of a `choices` question. */
export const ALL_CHOICES_ID = 'all';

/**
 * The ids picked at a `choices` question: a tapped button or one label as for `choice`,
 * or several numbers ("1 3", "1,3", "1 dan 3"). "all" stands for every other choice.
 */
function pickSeveral(turn: Turn, node: AskNode, picked: Choice | undefined): string[] | undefined {
  const choices = node.choices ?? [];
  const everyOther = choices.filter((choice) => choice.id !== ALL_CHOICES_ID).map((choice) => choice.id);
  const expand = (ids: string[]) => (ids.includes(ALL_CHOICES_ID) ? everyOther : ids);
  if (picked && picked.id !== BUILT_IN_CHOICES.skip) return expand([picked.id]);
  const words = normalizeAnswer(turn.inbound.text ?? '')
    .split(/\s+|,|\bdan\b|\band\b|&/)
    .filter((word) => word !== '');
  if (words.length === 0 || !words.every((word) => /^\d+$/.test(word))) return undefined;
  const found = words.map((word) => choices[Number(word) - 1]);
  if (found.some((choice) => choice === undefined)) return undefined;
  // In the order of the menu, each once.
  const ids = new Set(found.map((choice) => (choice as Choice).id));
  return expand(choices.filter((choice) => ids.has(choice.id)).map((choice) => choice.id));
}

/** "At sea", as people answer "where are you?". */
const AT_SEA_ANSWER = / (di |atas )?(kapal|laut|tengah laut|at sea|on (a |the )?(boat|ship|vessel)|sea|boat|ship) /;

function atSea(text: string): Answer {
  return AT_SEA_ANSWER.test(` ${normalizeAnswer(text)} `) ? { kind: 'valid', values: { at_sea: true } } : { kind: 'invalid' };
}

/** The answer to a question for an Indonesian place that names a country instead. */
function countryNamed(turn: Turn, text: string): Answer | undefined {
  const country = turn.ctx.places.match('country', text)[0] ?? turn.ctx.places.findIn('country', text)[0];
  return country ? { kind: 'valid', values: { country: country.code } } : undefined;
}

/**
 * A shared location as variables. -0 (a point on the prime meridian or the equator, as a
 * double may carry it) is kept as 0: JSON has no -0, and a session must read back as it
 * was saved.
 */
function coordinates(into: string, location: { lat: number; lon: number }): Record<string, number> {
  return { [`${into}_lat`]: location.lat + 0, [`${into}_lon`]: location.lon + 0 };
}
