import type { Effect } from '../engine/effects.ts';
import { ALERT_TOPICS_VARIABLE } from '../engine/nodes/run-alerts.ts';
import type { Session } from '../engine/session.ts';
import type { Situation } from '../engine/situation.ts';
import { subscribedFrom, type ContactBook, type ContactUpdate } from './contact-book.ts';

/** The clock of where someone is (an IANA zone), from what Pelita knows of their situation. */
export type TimeZoneOf = (place: {
  province?: string | undefined;
  district?: string | undefined;
  country?: string | undefined;
}) => string | undefined;

/** Where a contact is, for targeting: their Indonesian district or province, and the country they work in or plan to. */
function placeOf(
  situation: Situation | undefined,
  timeZoneOf: TimeZoneOf,
): Pick<ContactUpdate, 'district' | 'province' | 'destination' | 'timeZone'> {
  if (!situation) return {};
  const abroadIn = situation.country && situation.country !== 'ID' ? situation.country : undefined;
  const province = situation.province ?? situation.district?.slice(0, 2);
  const destination = situation.destination ?? abroadIn;
  // Where they are now: their Indonesian province, or the country they are in. A planned
  // destination says nothing of their clock.
  const timeZone = timeZoneOf({ province, district: situation.district, country: situation.country });
  return {
    ...(situation.district ? { district: situation.district } : {}),
    ...(province ? { province } : {}),
    ...(destination ? { destination } : {}),
    ...(timeZone ? { timeZone } : {}),
  };
}

/**
 * What a turn means for the contact book: a subscription, a STOP, or a change a subscriber's
 * record must follow (language, place, the day they last wrote). The writes are idempotent:
 * a turn retried after a crash writes the same again.
 */
export class Subscriptions {
  constructor(
    private readonly book: ContactBook,
    private readonly timeZoneOf: TimeZoneOf,
  ) {}

  async applyTurn(before: Session, after: Session, effects: readonly Effect[], receivedAt: string): Promise<void> {
    const { conversationId } = after;
    for (const effect of effects) {
      if (effect.type === 'subscribe_alerts') {
        const source = after.vars.source;
        await this.book.subscribe(conversationId, {
          language: after.language ?? 'id',
          ...placeOf(after.situation, this.timeZoneOf),
          topics: effect.topics,
          consent: { wording: effect.consent, at: receivedAt, ...(typeof source === 'string' ? { source } : {}) },
        });
      } else if (effect.type === 'stop_alerts') {
        await this.book.stop(conversationId, receivedAt);
      }
    }
    if (after.vars[ALERT_TOPICS_VARIABLE] === undefined || effects.some((effect) => effect.type === 'subscribe_alerts')) return;
    const update = changes(
      placeOf(before.situation, this.timeZoneOf),
      placeOf(after.situation, this.timeZoneOf),
      before,
      after,
      receivedAt,
    );
    if (update) await this.book.update(conversationId, update);
  }

  /** The key each turn reads with the session (the queue reads them together). */
  keyOf(conversationId: string): string {
    return this.book.markerKey(conversationId);
  }

  /**
   * A conversation that starts afresh (its quiet session expired) still has its
   * subscription: the session learns it again, so STOP says alerts stopped and the record
   * keeps following the person. `marker`: the value of keyOf, read with the session.
   */
  async restore(session: Session, receivedAt: string, marker: string | null | undefined): Promise<void> {
    if (session.language || Object.keys(session.vars).length > 0) return;
    const subscribed = subscribedFrom(marker === undefined ? await this.book.marker(session.conversationId) : marker);
    if (!subscribed) return;
    session.vars[ALERT_TOPICS_VARIABLE] = subscribed.topics.join(',');
    session.language = subscribed.language;
    await this.book.update(session.conversationId, { lastActive: receivedAt.slice(0, 10) });
  }
}

/** What a subscriber's record must learn from this turn, if anything: at most one write a day when nothing else changes. */
function changes(was: ContactUpdate, now: ContactUpdate, before: Session, after: Session, receivedAt: string): ContactUpdate | undefined {
  const update: ContactUpdate = {};
  if (after.language && after.language !== before.language) update.language = after.language;
  if (now.timeZone && now.timeZone !== was.timeZone) update.timeZone = now.timeZone;
  if (now.district && now.district !== was.district) update.district = now.district;
  if (now.province && now.province !== was.province) update.province = now.province;
  if (now.destination && now.destination !== was.destination) update.destination = now.destination;
  const today = receivedAt.slice(0, 10);
  if (before.updatedAt.slice(0, 10) !== today) update.lastActive = today;
  return Object.keys(update).length > 0 ? update : undefined;
}
