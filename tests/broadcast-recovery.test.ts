import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BroadcastQueue, type PlatformReports } from '../src/alerts/broadcast-queue.ts';
import { BroadcastStore } from '../src/alerts/broadcast-store.ts';
import { ContactBook } from '../src/alerts/contact-book.ts';
import type { Channel } from '../src/core/messages/channel.ts';
import { RedisKeys } from '../src/redis/redis-keys.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';
import { neverQuiet } from './harness/never-quiet.ts';

/**
 * What happens to the recipients a sending process held when it died, on a real Redis:
 * where the platform reports on what it got (WhatsApp Cloud), its report decides between
 * "sent" and "send again"; elsewhere a send cut off is counted as interrupted, never
 * repeated.
 */
let server: TestRedis;
let redis: Redis;
let keys: RedisKeys;
let book: ContactBook;
let store: BroadcastStore;
const consent = { wording: 'alerts.consent#00000000', at: new Date().toISOString() };
const reports: PlatformReports = { channels: new Set<Channel>(['whatsapp-cloud']), waitMs: 60_000 };

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url);
});

afterAll(async () => {
  const found = await redis.keys(`${server.prefix}*`);
  if (found.length > 0) await redis.del(...found);
  await redis.quit();
  await server.stop();
});

/**
 * A broadcast being sent to `count` subscribers on one channel, in a contact book of its
 * own (a prefix per test); their conversation ids by contact number.
 */
async function broadcastTo(id: string, channel: 'whatsapp-cloud' | 'telegram', count: number): Promise<Map<number, string>> {
  keys = new RedisKeys(`${server.prefix}${id}:`);
  book = new ContactBook(redis, keys);
  store = new BroadcastStore(redis, keys, book, { approvalThreshold: 1000, languages: ['id', 'en'] });
  const people = new Map<number, string>();
  for (let n = 0; n < count; n++) {
    const conversationId = `${channel}:62812000${String(n).padStart(3, '0')}`;
    people.set(
      await book.subscribe(conversationId, { language: 'id', topics: ['scam_alerts'], timeZone: 'Asia/Jakarta', consent }),
      conversationId,
    );
  }
  await store.create({ id, text: { id: `Waspada (${id})`, en: `Beware (${id})` }, quiet_hours: neverQuiet() }, 'sari', new Date());
  await store.send(id, 'sari', new Date());
  return people;
}

/** A process that claims and starts sending every pending recipient, then dies, or is cut off (it never beats). */
async function dyingSender(id: string, channel: Channel): Promise<{ sender: BroadcastQueue; held: number[] }> {
  const dead = new BroadcastQueue(redis, keys, reports);
  const k = store.keysOf(id);
  const held: number[] = [];
  for (let number = await dead.claim(k, channel, Date.now()); number !== undefined; number = await dead.claim(k, channel, Date.now())) {
    expect(await dead.markSending(k, channel, number)).toBe(true);
    held.push(number);
  }
  return { sender: dead, held };
}

describe('a sending process that died', () => {
  it('WhatsApp Cloud: a reported message counts as sent; one never reported is sent again after the wait', async () => {
    const people = await broadcastTo('reported', 'whatsapp-cloud', 3);
    const [first, second, third] = (await dyingSender('reported', 'whatsapp-cloud')).held as [number, number, number];
    const k = store.keysOf('reported');
    // The platform's report on the first came while nobody was alive to act on it.
    await store.recordStatus('bc-reported', people.get(first) as string, 'sent');

    const live = new BroadcastQueue(redis, keys, reports);
    await live.beat();
    const now = Date.now();
    expect(await live.recover(k, now, new Set())).toEqual({ pending: 0, sent: 1, unconfirmed: 2, interrupted: 0, sentAgain: 0 });
    expect(await store.progress('reported', new Date())).toMatchObject({ sent: 1, pending: 0, inFlight: 0, unconfirmed: 2 });
    // Waiting for reports, the broadcast is not done.
    expect(await store.completeIfFinished('reported', new Date())).toBe(false);

    // The second's report comes late, but within the wait.
    await store.recordStatus('bc-reported', people.get(second) as string, 'delivered');
    expect(await store.progress('reported', new Date())).toMatchObject({ sent: 2, delivered: 1, unconfirmed: 1 });

    // The third's never comes: past the wait, it goes again, and only it.
    expect(await live.recover(k, now + reports.waitMs - 1, new Set())).toMatchObject({ sent: 0, sentAgain: 0 });
    expect(await live.recover(k, now + reports.waitMs, new Set())).toMatchObject({ sent: 0, sentAgain: 1 });
    expect(await live.claim(k, 'whatsapp-cloud', now + reports.waitMs)).toBe(third);
    expect(await live.claim(k, 'whatsapp-cloud', now + reports.waitMs)).toBeUndefined();
    expect(await live.markSending(k, 'whatsapp-cloud', third)).toBe(true);
    expect(await live.finish(k, 'whatsapp-cloud', third, 'sent')).toBe(true);
    expect(await store.progress('reported', new Date())).toMatchObject({ sent: 3, unconfirmed: 0, skipped: { interrupted: 0 } });
    expect(await store.completeIfFinished('reported', new Date())).toBe(true);
  });

  it('a report for a recipient already settled changes nothing', async () => {
    const people = await broadcastTo('settled', 'whatsapp-cloud', 1);
    const live = new BroadcastQueue(redis, keys, reports);
    const k = store.keysOf('settled');
    const number = (await live.claim(k, 'whatsapp-cloud', Date.now())) as number;
    await live.markSending(k, 'whatsapp-cloud', number);
    expect(await live.finish(k, 'whatsapp-cloud', number, 'sent')).toBe(true);
    await store.recordStatus('bc-settled', people.get(number) as string, 'sent');
    await store.recordStatus('bc-settled', people.get(number) as string, 'read');
    expect(await store.progress('settled', new Date())).toMatchObject({ sent: 1, delivered: 1, read: 1, unconfirmed: 0 });
  });

  it('a sender only cut off from Redis, finishing after its recipient was left waiting for a report, counts it once', async () => {
    const people = await broadcastTo('cut-off', 'whatsapp-cloud', 1);
    const { sender, held } = await dyingSender('cut-off', 'whatsapp-cloud');
    const number = held[0] as number;
    const k = store.keysOf('cut-off');
    const live = new BroadcastQueue(redis, keys, reports);
    await live.beat();
    expect(await live.recover(k, Date.now(), new Set())).toMatchObject({ unconfirmed: 1 });
    // The first sender comes back and records what the platform answered it: once.
    expect(await sender.finish(k, 'whatsapp-cloud', number, 'sent')).toBe(true);
    expect(await sender.finish(k, 'whatsapp-cloud', number, 'sent')).toBe(false);
    // Another process's finish for a recipient it does not hold counts nothing.
    expect(await live.finish(k, 'whatsapp-cloud', number, 'failed')).toBe(false);
    // Its report, arriving after, counts nothing more.
    await store.recordStatus('bc-cut-off', people.get(number) as string, 'sent');
    expect(await store.progress('cut-off', new Date())).toMatchObject({ sent: 1, unconfirmed: 0 });
  });

  it('Telegram, which reports nothing: a send cut off is counted as interrupted and never repeated', async () => {
    await broadcastTo('no-reports', 'telegram', 2);
    const { held } = await dyingSender('no-reports', 'telegram');
    const k = store.keysOf('no-reports');
    const live = new BroadcastQueue(redis, keys, reports);
    await live.beat();
    expect(await live.recover(k, Date.now(), new Set())).toEqual({
      pending: 0,
      sent: 0,
      unconfirmed: 0,
      interrupted: held.length,
      sentAgain: 0,
    });
    expect(await live.recover(k, Date.now() + reports.waitMs * 2, new Set())).toMatchObject({ sentAgain: 0 });
    expect(await live.claim(k, 'telegram', Date.now())).toBeUndefined();
    expect(await store.progress('no-reports', new Date())).toMatchObject({ sent: 0, skipped: { interrupted: 2 } });
  });
});
