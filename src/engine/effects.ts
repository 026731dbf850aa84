/**
 * What a step asks the world to do besides replying. The engine only describes effects;
 * the worker carries them out as durable jobs, so they are never lost with a process.
 */
export type Effect =
  | { type: 'escalate'; reason: string }
  | { type: 'delete_data' }
  /** A card was answered, or rated by the person: counted per card for the content team, with nothing about who. */
  | { type: 'answer_count'; card: string; event: AnswerEvent };

export const ANSWER_EVENTS = ['shown', 'helpful', 'not_helpful'] as const;
export type AnswerEvent = (typeof ANSWER_EVENTS)[number];
