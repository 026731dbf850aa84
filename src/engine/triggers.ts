import type { QuestionNode } from '../flows/flow-schema.ts';
import type { Trigger } from '../flows/triggers-schema.ts';
import { normalizeAnswer } from '../text/normalize.ts';
import type { Turn } from './turn.ts';

/**
 * Finds the global trigger a message fires, if any. `always` triggers (emergencies) win
 * in every state; `interrupts: true` triggers may cut into any open question, `menus`
 * ones only into a question answered by picking (never into free text, such as a pasted
 * offer); the others only start something when no question is open. A pressed button is
 * an answer, never a trigger.
 */
export function findTrigger(turn: Turn, waiting: QuestionNode | undefined): Trigger | undefined {
  const { inbound, ctx } = turn;
  if (inbound.text === undefined) return undefined;
  const text = normalizeAnswer(inbound.text);
  if (text === '') return undefined;
  const padded = ` ${text} `;
  const matches = (trigger: Trigger) =>
    Object.values(trigger.keywords ?? {}).some((words) => words.some((word) => normalizeAnswer(word) === text)) ||
    Object.values(trigger.phrases ?? {}).some((phrases) => phrases.some((phrase) => padded.includes(` ${normalizeAnswer(phrase)} `)));

  const waitsForAPick = waiting !== undefined && (waiting.type === 'say' || waiting.input === 'choice' || waiting.input === 'yes_no');
  const mayInterrupt = (trigger: Trigger) => !waiting || trigger.interrupts === true || (trigger.interrupts === 'menus' && waitsForAPick);
  const triggers = ctx.flows.triggers;
  return (
    triggers.find((trigger) => trigger.always && matches(trigger)) ??
    triggers.find((trigger) => mayInterrupt(trigger) && matches(trigger))
  );
}
