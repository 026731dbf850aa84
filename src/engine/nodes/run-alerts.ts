import { createHash } from 'node:crypto';
import { parseAlertTopics } from '../../core/messages/alert-topics.ts';
import type { SubscribeAlertsNode } from '../../flows/flow-schema.ts';
import { textVariables } from '../render-reply.ts';
import { languageOf, type NodeOutcome, type Turn } from '../turn.ts';

/** The session variable that says the person gets alerts, and on what; flows branch on it. */
export const ALERT_TOPICS_VARIABLE = 'alert_topics';

/**
 * `subscribe_alerts`: opts the person in. The consent is recorded as the sentence's key and
 * a digest of its words in the person's language, so a changed wording is a new version by
 * itself, and the words agreed to can be found in the locale file's history.
 */
export function runSubscribeAlerts(node: SubscribeAlertsNode, turn: Turn): NodeOutcome {
  const topics = parseAlertTopics(turn.session.vars[node.topics]);
  if (topics.length === 0) return { kind: 'error', message: `subscribe_alerts: variable "${node.topics}" holds no known topic` };
  // The words as shown, with their values ("at most 2 a week"): another limit is another consent.
  const language = languageOf(turn);
  const words = turn.ctx.translator.t(node.consent, language, textVariables(turn, language));
  const digest = createHash('sha256').update(words).digest('hex').slice(0, 8);
  turn.effects.push({ type: 'subscribe_alerts', topics, consent: `${node.consent}#${digest}` });
  turn.session.vars[ALERT_TOPICS_VARIABLE] = topics.join(',');
  return node.next ? { kind: 'next', target: node.next } : { kind: 'stop' };
}

/** `stop_alerts`: no more alerts, whether or not this conversation remembers subscribing. */
export function runStopAlerts(node: { next?: string | undefined }, turn: Turn): NodeOutcome {
  turn.effects.push({ type: 'stop_alerts' });
  delete turn.session.vars[ALERT_TOPICS_VARIABLE];
  return node.next ? { kind: 'next', target: node.next } : { kind: 'stop' };
}
