import type { Trigger } from '../flows/triggers-schema.ts';
import { normalizeAnswer } from '../text/normalize.ts';
import type { Turn } from './turn.ts';

/**
 * Finds the global trigger a message fires, if any. `always` triggers (emergencies) win
 * in every state; `interrupts` triggers may cut into an open question; the others only
 * start something when no question is open. A pressed button is an answer, never a trigger.
 */
export function findTrigger(turn: Turn, waiting: boolean): Trigger | undefined {
  const { inbound, ctx } = turn;
  if (inbound.text === undefined) return undefined;
  const text = normalizeAnswer(inbound.text);
  if (text === '') return undefined;
  const padded = ` ${text} `;
  const matches = (trigger: Trigger) =>
    Object.values(trigger.keywords ?? {}).some((words) => words.some((word) => normalizeAnswer(word) === text)) ||
    Object.values(trigger.phrases ?? {}).some((phrases) => phrases.some((phrase) => padded.includes(` ${normalizeAnswer(phrase)} `)));

  const triggers = ctx.flows.triggers;
  return (
    triggers.find((trigger) => trigger.always && matches(trigger)) ??
    triggers.find((trigger) => (trigger.interrupts || !waiting) && matches(trigger))
  );
}
