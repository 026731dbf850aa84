/**
 * What a person can subscribe to. The ids are an interface: the subscription flow's choices,
 * the contact book's segments and broadcasts' targets all use them.
 */
export const ALERT_TOPICS = [
  /** Scams and fake job adverts going round. */
  'scam_alerts',
  /** Official job programmes (G-to-G openings and the like). */
  'job_programmes',
  /** News for the country they work in or plan to go to. */
  'destination_news',
  /** Services near them: a new office, a changed hotline. */
  'local_services',
] as const;
export type AlertTopic = (typeof ALERT_TOPICS)[number];

export function isAlertTopic(value: string): value is AlertTopic {
  return (ALERT_TOPICS as readonly string[]).includes(value);
}

/** How many alerts a week one person gets at most, unless configured otherwise (ALERTS_PER_WEEK). */
export const DEFAULT_ALERTS_PER_WEEK = 2;

/** Topics as a flow variable keeps them ("scam_alerts,job_programmes"), known ones only, in the list's order. */
export function parseAlertTopics(value: unknown): AlertTopic[] {
  if (typeof value !== 'string') return [];
  const named = new Set(value.split(',').map((topic) => topic.trim()));
  return ALERT_TOPICS.filter((topic) => named.has(topic));
}
