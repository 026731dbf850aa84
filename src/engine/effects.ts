import type { AlertTopic } from '../core/messages/alert-topics.ts';

/**
 * What a step asks the world to do besides replying. The engine only describes effects;
 * the worker carries them out as durable jobs, so they are never lost with a process.
 */
export type Effect =
  | { type: 'escalate'; reason: string }
  | { type: 'delete_data' }
  /** Opt in to alerts; `consent` names the sentence agreed to and a digest of its words as shown. */
  | { type: 'subscribe_alerts'; topics: AlertTopic[]; consent: string }
  /** No more alerts ("STOP"). */
  | { type: 'stop_alerts' }
  /** A card was answered, or rated by the person: counted per card for the content team, with nothing about who. */
  | { type: 'answer_count'; card: string; event: AnswerEvent };

export const ANSWER_EVENTS = ['shown', 'helpful', 'not_helpful'] as const;
export type AnswerEvent = (typeof ANSWER_EVENTS)[number];
