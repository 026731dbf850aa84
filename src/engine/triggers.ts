import type { QuestionNode } from '../flows/flow-schema.ts';
import type { Trigger } from '../flows/triggers-schema.ts';
import { INTENT_CONFIDENCE_FLOOR } from '../nlu/nlu-result.ts';
import { normalizeAnswer } from '../core/text/normalize.ts';
import { chooseFrom, parseAnswer, plainlyChooses } from './inputs/parse-answer.ts';
import { choicesOf } from './render-reply.ts';
import type { Turn } from './turn.ts';

/** A trigger's words, normalised once: every message is checked against every trigger. */
interface TriggerWords {
  keywords: ReadonlySet<string>;
  /** Each phrase normalised and padded with spaces, to be found as whole words. */
  phrases: readonly string[];
}

const wordsOfTrigger = new WeakMap<Trigger, TriggerWords>();

/** A question typed where free text was asked for is shorter than this; offers are longer. */
const SHORT_QUESTION_CHARS = 120;
const TEXT_QUESTION_CONFIDENCE = 0.8;
/** Intents that are what a free-text question (an offer, a company name) is there to receive. */
const OFFER_INTENTS = new Set(['check_job_offer', 'check_agency', 'unknown']);

function wordsOf(trigger: Trigger): TriggerWords {
  let words = wordsOfTrigger.get(trigger);
  if (!words) {
    words = {
      keywords: new Set(Object.values(trigger.keywords ?? {}).flatMap((list) => list.map(normalizeAnswer))),
      phrases: Object.values(trigger.phrases ?? {}).flatMap((list) => list.map((phrase) => ` ${normalizeAnswer(phrase)} `)),
    };
    wordsOfTrigger.set(trigger, words);
  }
  return words;
}

/** Whether the message is a valid answer to the open question (a choice, a yes, a place...). */
function answersTheQuestion(turn: Turn, question: QuestionNode): boolean {
  if (question.type === 'ask') return parseAnswer(turn, question).kind !== 'invalid';
  return chooseFrom(turn, choicesOf(question)) !== undefined;
}

/**
 * A trigger a message fires, and how: danger, the whole message as a keyword ("menu"), a
 * phrase inside it ("jalur resmi"), or only the classifier's intent. A phrase or an intent
 * names a topic; a typed question on that topic is better answered by the answer bank.
 */
export interface FoundTrigger {
  trigger: Trigger;
  by: 'danger' | 'keyword' | 'phrase' | 'intent';
}

/**
 * Finds the global trigger a message fires, if any. `always` triggers (emergencies) win
 * in every state; `interrupts: true` triggers may cut into any open question, `menus`
 * ones only into a question answered by picking (never into free text, such as a pasted
 * offer); the others only start something when no question is open. A pressed button is
 * an answer, never a trigger.
 */
export function findTrigger(turn: Turn, waiting: QuestionNode | undefined): FoundTrigger | undefined {
  const { inbound, ctx } = turn;
  if (inbound.text === undefined) return undefined;
  // Typing a menu's own label ("Nomor bantuan", "Klaim BPJS") answers it, whatever words it holds.
  if (waiting && plainlyChooses(turn, choicesOf(waiting))) return undefined;
  const text = normalizeAnswer(inbound.text);
  if (text === '') return undefined;
  const padded = ` ${text} `;
  const matches = (trigger: Trigger) => {
    const words = wordsOf(trigger);
    return words.keywords.has(text) || words.phrases.some((phrase) => padded.includes(phrase));
  };

  const nlu = inbound.nlu;
  const waitsForAPick =
    waiting !== undefined &&
    (waiting.type === 'say' || waiting.input === 'choice' || waiting.input === 'choices' || waiting.input === 'yes_no');
  // A valid answer to the open question ("sy di lombok timur" to "where are you?", "iya" to a
  // yes/no) stays an answer: it raises an emergency only on explicit words, and no "menus"
  // trigger or intent takes it.
  const answering = waiting !== undefined && answersTheQuestion(turn, waiting);
  const inDanger = nlu?.emergency === true && (nlu.emergencyByRule || !answering);
  const mayInterrupt = (trigger: Trigger) =>
    !waiting || trigger.interrupts === true || (trigger.interrupts === 'menus' && waitsForAPick && !answering);
  // A question for a place ("which district?") met with something else ("cek lowongan ini
  // ...", "where is the disnaker") follows what was said; so does a short question typed
  // where an offer or a company name was asked for, unless it is about offers itself.
  const waitsForAPlace =
    waiting?.type === 'ask' && (waiting.input === 'district' || waiting.input === 'province' || waiting.input === 'country');
  const shortQuestionAtText =
    waiting?.type === 'ask' &&
    waiting.input === 'text' &&
    (inbound.text?.length ?? 0) < SHORT_QUESTION_CHARS &&
    (nlu?.confidence ?? 0) >= TEXT_QUESTION_CONFIDENCE &&
    !OFFER_INTENTS.has(nlu?.intent ?? '');
  // The classifier's intent counts like a keyword, but never cuts into a free-text answer
  // (a pasted offer reads like "check_job_offer"), and a number or a menu label is an answer.
  const intentMatches = (trigger: Trigger) =>
    nlu !== undefined &&
    trigger.intent === nlu.intent &&
    nlu.confidence >= INTENT_CONFIDENCE_FLOOR &&
    (!waiting || ((waitsForAPick || waitsForAPlace) && !answering) || shortQuestionAtText);
  // Each kind of danger has its own trigger when the flows give one (care first for
  // suicidal words, a safety question for a bare "tolong"), else the emergency trigger's.
  const triggers = ctx.flows.triggers;
  const kindIntent = nlu?.emergencyKind && nlu.emergencyKind !== 'danger' ? `emergency_${nlu.emergencyKind}` : 'emergency';
  const dangerIntent = triggers.some((trigger) => trigger.always && trigger.intent === kindIntent) ? kindIntent : 'emergency';
  // With the NLU, its verdict decides danger: its rules know the words of `always` triggers
  // and also when they are not about now ("dulu pernah kepikiran bunuh diri, skrg udh
  // sembuh", "SOS my rice cooker broke"). The triggers' own words are for running without it.
  const danger = triggers.find(
    (trigger) => trigger.always && ((nlu === undefined && matches(trigger)) || (inDanger && trigger.intent === dangerIntent)),
  );
  if (danger) return { trigger: danger, by: 'danger' };
  const byWords = triggers.find((trigger) => !trigger.always && mayInterrupt(trigger) && matches(trigger));
  if (byWords) return { trigger: byWords, by: wordsOf(byWords).keywords.has(text) ? 'keyword' : 'phrase' };
  const byIntent = triggers.find((trigger) => !trigger.always && intentMatches(trigger));
  return byIntent ? { trigger: byIntent, by: 'intent' } : undefined;
}
