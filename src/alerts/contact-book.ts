import type { Redis } from 'ioredis';
import { z } from 'zod';
import { isAlertTopic, parseAlertTopics, type AlertTopic } from '../core/messages/alert-topics.ts';
import { CHANNELS, channelOf, type Channel } from '../core/messages/channel.ts';
import { LuaScript } from '../redis/lua-script.ts';
import type { RedisKeys } from '../redis/redis-keys.ts';

const WRITE = LuaScript.fromFile(new URL('./lua/write-contact.lua', import.meta.url));
const RESERVE_ALERT = LuaScript.fromFile(new URL('./lua/reserve-alert.lua', import.meta.url));
const RELEASE_ALERT = LuaScript.fromFile(new URL('./lua/release-alert.lua', import.meta.url));

/** subscribed: alerts go to them; stopped: they said STOP; unreachable: the platform refused (blocked, number gone). */
export const CONTACT_STATES = ['subscribed', 'stopped', 'unreachable'] as const;
export type ContactState = (typeof CONTACT_STATES)[number];

/** How a state is stored: two letters instead of a word, for every contact. */
const STORED_STATE: Record<ContactState, string> = { subscribed: 'in', stopped: 'out', unreachable: 'gone' };

/** What the person agreed to, as the record keeps it. */
export interface Consent {
  /** The locale key of the sentence they agreed to and a digest of its words in their language ("alerts.consent#3f9a1c2b"). */
  wording: string;
  at: string;
  /** Where they came from: a deep link's payload ("poster_mataram"). */
  source?: string | undefined;
}

/**
 * One person on one channel who opted in to alerts: only what targeting and sending need.
 * WhatsApp's 24-hour window is read from the channel's own record of the last message
 * (RedisKeys.whatsappLastInbound), not copied here.
 */
export interface Contact {
  /** Its number in the book: the bit it has in every segment bitmap. */
  number: number;
  conversationId: string;
  channel: Channel;
  language: string;
  /** Kemendagri codes of where they are in Indonesia, when known. */
  district?: string | undefined;
  province?: string | undefined;
  /** The country they work in or plan to go to (ISO code). */
  destination?: string | undefined;
  /** Where they are, as a clock: an IANA zone, for their quiet hours (unknown: Indonesia's western time). */
  timeZone?: string | undefined;
  topics: AlertTopic[];
  state: ContactState;
  consent: Consent;
  /** When they said STOP. */
  stoppedAt?: string | undefined;
  /** The last day (YYYY-MM-DD) they wrote to Pelita, for broadcasts to people active since a day. */
  lastActive?: string | undefined;
}

/** The fields a subscription sets. */
export type Subscription = Pick<Contact, 'language' | 'district' | 'province' | 'destination' | 'timeZone' | 'topics'> & {
  consent: Consent;
};

/** What a later turn may change: where they are, their language, the day they last wrote. */
export type ContactUpdate = Partial<Pick<Contact, 'language' | 'district' | 'province' | 'destination' | 'timeZone' | 'lastActive'>>;

/** What the marker under the conversation says: subscribed, to these topics, in this language. */
export function subscribedFrom(marker: string | null | undefined): { topics: AlertTopic[]; language: string } | undefined {
  if (!marker) return undefined;
  try {
    const parsed = z.object({ topics: z.array(z.string()), language: z.string().min(2).max(8) }).safeParse(JSON.parse(marker));
    if (!parsed.success) return undefined;
    const topics = parsed.data.topics.filter(isAlertTopic);
    return topics.length > 0 ? { topics, language: parsed.data.language } : undefined;
  } catch {
    return undefined;
  }
}

/** A record as stored: short field names, as every contact carries them. */
const storedSchema = z.object({
  c: z.string().min(1),
  ch: z.enum(CHANNELS),
  l: z.string().min(2).max(8),
  d: z.string().optional(),
  p: z.string().optional(),
  x: z.string().optional(),
  t: z.string().default(''),
  s: z.enum(['in', 'out', 'gone']),
  cw: z.string().min(1),
  ca: z.string().min(1),
  cs: z.string().optional(),
  so: z.string().optional(),
  la: z.string().optional(),
  z: z.string().optional(),
});

const STATE_OF = { in: 'subscribed', out: 'stopped', gone: 'unreachable' } as const;

/**
 * Who gets alerts: a compact record per person and channel, and segments (by topic,
 * language, channel, province, district, destination, source) to find them without
 * scanning every key. Every write is one script, so a record and its segments never
 * disagree, and every write is idempotent: a retried turn writes the same again.
 */
export class ContactBook {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** Opts the person in (again), with what they agreed to. */
  async subscribe(conversationId: string, subscription: Subscription): Promise<number> {
    const { consent } = subscription;
    const number = await this.write(conversationId, 'subscribe', {
      c: conversationId,
      ch: channelOf(conversationId),
      l: subscription.language,
      d: subscription.district ?? '',
      p: subscription.province ?? subscription.district?.slice(0, 2) ?? '',
      x: subscription.destination ?? '',
      z: subscription.timeZone ?? '',
      t: subscription.topics.join(','),
      s: STORED_STATE.subscribed,
      cw: consent.wording,
      ca: consent.at,
      cs: consent.source ?? '',
      so: '',
      la: consent.at.slice(0, 10),
    });
    await this.redis.set(
      this.keys.alertsOf(conversationId),
      JSON.stringify({ topics: subscription.topics, language: subscription.language }),
    );
    return number;
  }

  /** The key a turn reads with the session to know the person gets alerts (see subscribedFrom). */
  markerKey(conversationId: string): string {
    return this.keys.alertsOf(conversationId);
  }

  async marker(conversationId: string): Promise<string | null> {
    return this.redis.get(this.keys.alertsOf(conversationId));
  }

  /** Keeps a contact's language and place as the person's situation changes; nothing for someone not in the book. */
  async update(conversationId: string, update: ContactUpdate): Promise<boolean> {
    const fields: Record<string, string> = {};
    if (update.language !== undefined) fields.l = update.language;
    if (update.district !== undefined) fields.d = update.district;
    const province = update.province ?? update.district?.slice(0, 2);
    if (province !== undefined) fields.p = province;
    if (update.destination !== undefined) fields.x = update.destination;
    if (update.lastActive !== undefined) fields.la = update.lastActive;
    if (update.timeZone !== undefined) fields.z = update.timeZone;
    return (await this.write(conversationId, 'update', fields)) > 0;
  }

  /** STOP: no alert reaches them from now on. True when they were in the book. */
  async stop(conversationId: string, at: string): Promise<boolean> {
    await this.redis.del(this.keys.alertsOf(conversationId));
    return (await this.write(conversationId, 'update', { s: STORED_STATE.stopped, so: at })) > 0;
  }

  /** The platform refuses to deliver to them (blocked, number gone): no more alerts are tried. */
  async markUnreachable(conversationId: string): Promise<boolean> {
    return (await this.write(conversationId, 'update', { s: STORED_STATE.unreachable })) > 0;
  }

  /** "Delete my data": the record and every segment bit go; the number is never given again. */
  async erase(conversationId: string): Promise<boolean> {
    await this.redis.del(this.keys.alertsOf(conversationId));
    return (await this.write(conversationId, 'erase', {})) > 0;
  }

  async get(conversationId: string): Promise<Contact | undefined> {
    const number = await this.redis.hget(this.keys.alertContactNumbers(), conversationId);
    if (number === null) return undefined;
    const [contact] = await this.byNumbers([Number(number)]);
    return contact;
  }

  /** Contacts by number, in one round trip; numbers with no readable record are left out. */
  async byNumbers(numbers: readonly number[]): Promise<Contact[]> {
    if (numbers.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const number of numbers) pipeline.hgetall(this.recordKey(number));
    const results = (await pipeline.exec()) ?? [];
    const contacts: Contact[] = [];
    for (const [index, [error, stored]] of results.entries()) {
      if (error) throw error;
      const contact = contactFromStored(numbers[index] as number, stored as Record<string, string>);
      if (contact) contacts.push(contact);
    }
    return contacts;
  }

  /** The day each contact last wrote (YYYY-MM-DD), in the order asked; undefined where unknown. */
  async lastActiveDays(numbers: readonly number[]): Promise<(string | undefined)[]> {
    const pipeline = this.redis.pipeline();
    for (const number of numbers) pipeline.hget(this.recordKey(number), 'la');
    return ((await pipeline.exec()) ?? []).map(([error, day]) => {
      if (error) throw error;
      return typeof day === 'string' ? day : undefined;
    });
  }

  /**
   * Books one alert for the contact within `limit` a `windowMs` (what their consent
   * promised): 'booked' (give it back with releaseAlert if it is not sent), the time from
   * which one is free again, or 'gone' for a contact no longer in the book.
   */
  async reserveAlert(number: number, nowMs: number, limit: number, windowMs: number): Promise<'booked' | 'gone' | number> {
    const nowS = Math.floor(nowMs / 1000);
    const result = Number(await RESERVE_ALERT.run(this.redis, [this.recordKey(number)], [nowS, limit, Math.ceil(windowMs / 1000)]));
    if (result === 0) return 'booked';
    return result < 0 ? 'gone' : result * 1000;
  }

  async releaseAlert(number: number, bookedAtMs: number): Promise<void> {
    await RELEASE_ALERT.run(this.redis, [this.recordKey(number)], [Math.floor(bookedAtMs / 1000)]);
  }

  /** A bitmap segment's bits (bit n set: contact n is in it); an empty buffer when nobody is. */
  async bitmap(segment: string): Promise<Buffer> {
    return (await this.redis.getBuffer(this.segmentKey(segment))) ?? Buffer.alloc(0);
  }

  /** A set segment's contact numbers. */
  async members(segment: string): Promise<number[]> {
    return (await this.redis.smembers(this.segmentKey(segment))).map(Number);
  }

  private segmentKey(segment: string): string {
    return `${this.keys.alertsBase()}segment:${segment}`;
  }

  private recordKey(number: number): string {
    return `${this.keys.alertsBase()}contact:${number}`;
  }

  private async write(conversationId: string, mode: 'subscribe' | 'update' | 'erase', fields: Record<string, string>): Promise<number> {
    const keys = [this.keys.alertContactNumbers(), this.keys.alertLastContactNumber()];
    const args = [this.keys.alertsBase(), conversationId, mode, ...Object.entries(fields).flat()];
    return Number(await WRITE.run(this.redis, keys, args));
  }
}

/** A stored record, checked; undefined for one that does not read back (a hand edit, a torn write). */
function contactFromStored(number: number, stored: Record<string, string>): Contact | undefined {
  const parsed = storedSchema.safeParse(stored);
  if (!parsed.success) return undefined;
  const record = parsed.data;
  return {
    number,
    conversationId: record.c,
    channel: record.ch,
    language: record.l,
    ...(record.d ? { district: record.d } : {}),
    ...(record.p ? { province: record.p } : {}),
    ...(record.x ? { destination: record.x } : {}),
    ...(record.z ? { timeZone: record.z } : {}),
    topics: parseAlertTopics(record.t),
    state: STATE_OF[record.s],
    consent: { wording: record.cw, at: record.ca, ...(record.cs ? { source: record.cs } : {}) },
    ...(record.so ? { stoppedAt: record.so } : {}),
    ...(record.la ? { lastActive: record.la } : {}),
  };
}
