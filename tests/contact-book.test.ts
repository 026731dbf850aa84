import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAudience, numbersIn } from '../src/alerts/audience.ts';
import { ContactBook, type Subscription } from '../src/alerts/contact-book.ts';
import { RedisKeys } from '../src/redis/redis-keys.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

let redis: TestRedis;
let connection: Redis;
let book: ContactBook;
beforeAll(async () => {
  redis = await startTestRedis();
  connection = new Redis(redis.url, { maxRetriesPerRequest: 2 });
  book = new ContactBook(connection, new RedisKeys(redis.prefix));
});
afterAll(async () => {
  await connection?.quit();
  await redis?.stop();
});

const consent = { wording: 'alerts.consent#00000000', at: '2026-12-02T03:00:00.000Z' };
const subscription = (fields: Partial<Subscription>): Subscription => ({ language: 'id', topics: ['scam_alerts'], consent, ...fields });

describe('the contact book', () => {
  it('keeps what a subscription says, and gives each conversation one number', async () => {
    const first = await book.subscribe(
      'telegram:101',
      subscription({ district: '52.03', destination: 'MY', consent: { ...consent, source: 'poster_mataram' } }),
    );
    const again = await book.subscribe(
      'telegram:101',
      subscription({ district: '52.03', destination: 'MY', consent: { ...consent, source: 'poster_mataram' } }),
    );
    expect(again).toBe(first);
    expect(await book.get('telegram:101')).toEqual({
      number: first,
      conversationId: 'telegram:101',
      channel: 'telegram',
      language: 'id',
      district: '52.03',
      province: '52',
      destination: 'MY',
      topics: ['scam_alerts'],
      state: 'subscribed',
      consent: { ...consent, source: 'poster_mataram' },
      lastActive: '2026-12-02',
    });
    expect(await book.get('telegram:never')).toBeUndefined();
  });

  it('finds people by segment, only those who opted in', async () => {
    const lombok = await book.subscribe(
      'whatsapp-cloud:6281',
      subscription({ district: '52.03', topics: ['scam_alerts', 'job_programmes'] }),
    );
    const indramayu = await book.subscribe('whatsapp-cloud:6282', subscription({ district: '32.12', language: 'en', destination: 'TW' }));
    const abroad = await book.subscribe('telegram:103', subscription({ destination: 'TW', topics: ['destination_news'] }));
    const stopped = await book.subscribe('telegram:104', subscription({ district: '52.03' }));
    await book.stop('telegram:104', '2026-12-02T04:00:00.000Z');

    const scams = await findAudience(book, { topics: ['scam_alerts'], districts: ['52.03', '32.12'] });
    expect(scams).toContain(lombok);
    expect(scams).toContain(indramayu);
    expect(scams).not.toContain(stopped);
    expect(scams).not.toContain(abroad);
    expect(await findAudience(book, { destinations: ['TW'], languages: ['en'] })).toEqual([indramayu]);
    expect(await findAudience(book, { provinces: ['52'], channels: ['whatsapp-cloud'] })).toEqual([lombok]);
    expect(await findAudience(book, { topics: ['local_services'] })).toEqual([]);
  });

  it('moves a contact between segments when they move, and keeps nothing of someone who stopped in the opted-in segment', async () => {
    const number = await book.subscribe('http:moving', subscription({ district: '52.03' }));
    expect(await book.update('http:moving', { district: '21.71', language: 'en' })).toBe(true);
    expect(await findAudience(book, { districts: ['52.03'], sources: undefined })).not.toContain(number);
    expect(await findAudience(book, { districts: ['21.71'], languages: ['en'] })).toEqual([number]);
    expect(await findAudience(book, { languages: ['id'] })).not.toContain(number);
    expect(await book.update('http:stranger', { district: '21.71' })).toBe(false);
    expect(await book.get('http:stranger')).toBeUndefined();

    await book.stop('http:moving', '2026-12-02T05:00:00.000Z');
    expect(numbersIn(await book.bitmap('opted-in'))).not.toContain(number);
    expect(await book.get('http:moving')).toMatchObject({ state: 'stopped', stoppedAt: '2026-12-02T05:00:00.000Z' });
    // Subscribing again works, with the new consent.
    await book.subscribe('http:moving', subscription({ district: '21.71', consent: { ...consent, at: '2026-12-03T00:00:00.000Z' } }));
    expect(await findAudience(book, { districts: ['21.71'] })).toEqual([number]);
    expect(await book.get('http:moving')).toMatchObject({ state: 'subscribed', consent: { at: '2026-12-03T00:00:00.000Z' } });
  });

  it('forgets a contact completely on erasure', async () => {
    const number = await book.subscribe(
      'telegram:erased',
      subscription({ district: '52.03', destination: 'SA', consent: { ...consent, source: 'radio_lotim' } }),
    );
    expect(await book.erase('telegram:erased')).toBe(true);
    expect(await book.get('telegram:erased')).toBeUndefined();
    for (const segment of ['opted-in', 'topic:scam_alerts', 'language:id', 'channel:telegram', 'province:52', 'destination:SA']) {
      expect(numbersIn(await book.bitmap(segment)), segment).not.toContain(number);
    }
    expect(await book.members('district:52.03')).not.toContain(number);
    expect(await book.members('source:radio_lotim')).not.toContain(number);
    expect(await connection.hexists(new RedisKeys(redis.prefix).alertContactNumbers(), 'telegram:erased')).toBe(0);
    expect(await book.erase('telegram:erased')).toBe(false);
  });

  it('marks a contact the platform refuses as unreachable, out of every audience', async () => {
    const number = await book.subscribe('telegram:blocked', subscription({}));
    await book.markUnreachable('telegram:blocked');
    expect(await findAudience(book, {})).not.toContain(number);
    expect(await book.get('telegram:blocked')).toMatchObject({ state: 'unreachable' });
  });

  it('skips a record that does not read back, naming nobody', async () => {
    const number = await book.subscribe('telegram:torn', subscription({}));
    await connection.hset(`${new RedisKeys(redis.prefix).alertsBase()}contact:${number}`, 's', 'maybe');
    expect(await book.byNumbers([number])).toEqual([]);
  });
});
