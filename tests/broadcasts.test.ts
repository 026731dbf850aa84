import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BroadcastStore } from '../src/alerts/broadcast-store.ts';
import type { ContactBook, Subscription } from '../src/alerts/contact-book.ts';
import type { PelitaRuntime } from '../src/app/pelita-runtime.ts';
import type { LoggedReply } from '../src/pipeline/reply-log/reply-log.ts';
import { cloudWebhook, sign, startFakeGraphApi } from './harness/fake-graph-api.ts';
import { startTestPelita } from './harness/test-pelita.ts';
import { botMessagesTo, recordingTransformer, TEST_BOT_TOKEN, useTelegramTestbed, type RecordedCall } from './harness/telegram-emulator.ts';
import { neverQuiet } from './harness/never-quiet.ts';

/**
 * Broadcasts through the whole sending path on a real Redis: the contact book, the plan,
 * the dispatcher in a running Pelita, and the platforms (the Bot API emulator, a Graph
 * stand-in, the HTTP channel's reply log).
 */
const bed = useTelegramTestbed();
let graph: Awaited<ReturnType<typeof startFakeGraphApi>>;
let runtime: PelitaRuntime;
let baseUrl: string;
let book: ContactBook;
let store: BroadcastStore;
const calls: RecordedCall[] = [];
/** Telegram chats that answer 403 (blocked the bot), and how many 429s are still to give. */
const blocked = new Set<string>();
let tooManyLeft = 0;

beforeAll(async () => {
  graph = await startFakeGraphApi();
  ({ runtime, baseUrl } = await startTestPelita(
    bed.redis,
    {
      TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
      TELEGRAM_API_ROOT: bed.emulator.config.apiURL,
      // Slow enough to act while a broadcast is under way.
      TELEGRAM_RATE_PER_S: '4',
      // Broadcasts stay a burst below the channel's rate: with one, that is 3 a second here.
      OUTBOUND_BURST: '1',
      WHATSAPP_CLOUD_ACCESS_TOKEN: 'EAAG-test',
      WHATSAPP_CLOUD_PHONE_NUMBER_ID: '1098765',
      WHATSAPP_CLOUD_APP_SECRET: 'app-secret-for-broadcast-tests',
      WHATSAPP_CLOUD_VERIFY_TOKEN: 'verify-token-for-broadcast-tests',
      WHATSAPP_API_BASE: graph.url,
      BROADCAST_CONCURRENCY: '2',
    },
    'all',
    {
      configureTelegramApi: recordingTransformer(calls, (call) => {
        if (call.method !== 'sendMessage') return undefined;
        if (blocked.has(String(call.payload.chat_id)))
          return { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' };
        if (tooManyLeft > 0) {
          tooManyLeft -= 1;
          return { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } };
        }
        return undefined;
      }),
    },
  ));
  book = runtime.contacts;
  store = runtime.broadcasts;
});
afterAll(async () => {
  await runtime?.stop(2000);
  await graph?.stop();
});

const consent = { wording: 'alerts.consent#00000000', at: new Date().toISOString() };
const subscribe = (conversationId: string, fields: Partial<Subscription> = {}) =>
  book.subscribe(conversationId, { language: 'id', topics: ['scam_alerts'], timeZone: 'Asia/Jakarta', consent, ...fields });

const definition = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  text: { id: `Waspada penipuan (${id})`, en: `Beware of scams (${id})` },
  quiet_hours: neverQuiet(),
  ...extra,
});

async function sendAndWait(id: string, extra: Record<string, unknown> = {}, until: string[] = ['done']) {
  await store.create(definition(id, extra), 'sari', new Date());
  await store.send(id, 'sari', new Date());
  return waitForState(id, until);
}

async function waitForState(id: string, states: string[], timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const progress = await store.progress(id, new Date());
    if (states.includes(progress.state)) return progress;
    if (Date.now() > deadline) throw new Error(`broadcast ${id} still ${progress.state}: ${JSON.stringify(progress)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const repliesOf = async (conversationId: string): Promise<LoggedReply[]> =>
  (await runtime.replyLog.read(conversationId, '0', 1000)).flatMap((entry) => (entry.type === 'reply' ? [entry.reply] : []));
const alertsTo = async (conversationId: string, id: string) =>
  (await repliesOf(conversationId)).filter((reply) => reply.inReplyTo === `bc-${id}`);

describe('broadcasts', () => {
  it('reach exactly the targeted, opted-in people, each once and in their language', async () => {
    await subscribe('http:t1-lombok-id', { province: '52', district: '52.03' });
    await subscribe('http:t1-lombok-en', { province: '52', district: '52.03', language: 'en' });
    await subscribe('http:t1-other-topic', { province: '52', topics: ['job_programmes'] });
    await subscribe('http:t1-java', { province: '32' });
    await subscribe('http:t1-stopped', { province: '52' });
    await book.stop('http:t1-stopped', new Date().toISOString());
    const progress = await sendAndWait('t1-lombok', { target: { topics: ['scam_alerts'], provinces: ['52'] } });
    expect(progress).toMatchObject({ targeted: 2, sent: 2, failed: 0, pending: 0, inFlight: 0 });
    expect((await alertsTo('http:t1-lombok-id', 't1-lombok')).map((reply) => reply.text)).toEqual(['Waspada penipuan (t1-lombok)']);
    expect((await alertsTo('http:t1-lombok-en', 't1-lombok')).map((reply) => reply.text)).toEqual(['Beware of scams (t1-lombok)']);
    for (const outside of ['http:t1-other-topic', 'http:t1-java', 'http:t1-stopped'])
      expect(await alertsTo(outside, 't1-lombok')).toEqual([]);
  });

  it('wait for their send time, scheduled, then send', async () => {
    await subscribe('http:t13', { province: '76' });
    const sendAt = new Date(Date.now() + 1500).toISOString();
    await store.create(definition('t13-later', { target: { provinces: ['76'] }, send_at: sendAt }), 'sari', new Date());
    expect((await store.send('t13-later', 'sari', new Date())).state).toBe('scheduled');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await alertsTo('http:t13', 't13-later')).toEqual([]);
    expect(await waitForState('t13-later', ['done'])).toMatchObject({ sent: 1 });
    expect((await store.auditTrail('t13-later')).map((entry) => entry.event)).toEqual(['created', 'send', 'started', 'done']);
  });

  it('use the fallback language when a text is missing; a broadcast with neither is refused', async () => {
    await subscribe('http:t2-en', { language: 'en', province: '61' });
    await expect(store.create({ id: 't2-only-id', text: { id: 'Hanya bahasa Indonesia' } }, 'sari', new Date())).rejects.toThrow(
      /no text in "en", and no fallback_language/,
    );
    await sendAndWait('t2-fallback', { text: { id: 'Hanya bahasa Indonesia' }, fallback_language: 'id', target: { provinces: ['61'] } });
    expect((await alertsTo('http:t2-en', 't2-fallback')).map((reply) => reply.text)).toEqual(['Hanya bahasa Indonesia']);
  });

  it('carry buttons that start a flow from wherever the person is', async () => {
    await subscribe('http:t3', { province: '62' });
    await sendAndWait('t3-button', {
      target: { provinces: ['62'] },
      buttons: [{ flow: 'check_offer', label: { id: 'Cek tawaran kerja', en: 'Check a job offer' } }],
    });
    const [alert] = await alertsTo('http:t3', 't3-button');
    expect(alert?.choices).toEqual([{ id: 'start:check_offer', label: 'Cek tawaran kerja' }]);
    const before = (await repliesOf('http:t3')).length;
    await runtime.gateway.accept({
      channel: 'http',
      conversationId: 'http:t3',
      messageId: 'press-1',
      choice: 'start:check_offer',
      receivedAt: new Date().toISOString(),
    });
    await expect.poll(async () => (await repliesOf('http:t3')).length, { timeout: 10_000 }).toBeGreaterThan(before);
    expect((await repliesOf('http:t3')).slice(before)[0]?.inReplyTo).toBe('press-1');
  });

  it('defer people in their quiet hours to the end of them, in their own time zone, and send the others', async () => {
    await subscribe('http:t4-jakarta', { province: '63', timeZone: 'Asia/Jakarta' });
    await subscribe('http:t4-jayapura', { province: '63', timeZone: 'Asia/Jayapura' });
    // A two-hour window around now in Jayapura (UTC+9) is over an hour away from now in Jakarta (UTC+7).
    const jayapura = new Date(Date.now() + 9 * 3600_000);
    const hhmm = (date: Date) => `${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}`;
    const quiet = { start: hhmm(new Date(jayapura.getTime() - 3600_000)), end: hhmm(new Date(jayapura.getTime() + 3600_000)) };
    await store.create(definition('t4-quiet', { target: { provinces: ['63'] }, quiet_hours: quiet }), 'sari', new Date());
    await store.send('t4-quiet', 'sari', new Date());
    await expect.poll(async () => (await store.progress('t4-quiet', new Date())).sent, { timeout: 10_000 }).toBe(1);
    const progress = await store.progress('t4-quiet', new Date());
    expect(progress).toMatchObject({ state: 'sending', sent: 1, pending: 1, deferred: { quiet_hours: 1 } });
    expect(await alertsTo('http:t4-jakarta', 't4-quiet')).toHaveLength(1);
    expect(await alertsTo('http:t4-jayapura', 't4-quiet')).toHaveLength(0);
    // Deferred to the end of their quiet hours: about an hour from now, not dropped.
    const [, dueAt] = await runtime.redis.zrange(store.keysOf('t4-quiet').pending('http'), 0, 0, 'WITHSCORES');
    expect(Number(dueAt) - Date.now()).toBeGreaterThan(55 * 60_000);
    expect(Number(dueAt) - Date.now()).toBeLessThanOrEqual(60 * 60_000);
    expect(progress.etaSeconds).toBeGreaterThan(55 * 60);
    await store.cancel('t4-quiet', 'sari', new Date());
  });

  it('send WhatsApp contacts outside the 24-hour window the approved template, or skip and count them without one', async () => {
    const inside = 'whatsapp-cloud:62811000001';
    const outside = 'whatsapp-cloud:62811000002';
    await subscribe(inside, { province: '64' });
    await subscribe(outside, { province: '64' });
    await runtime.redis.set(runtime.keys.whatsappLastInbound(inside), String(Date.now()));
    const template = { name: 'pelita_alert', language: 'id', parameters: ['lowongan palsu di Kamboja'] };
    await sendAndWait('t5-template', { target: { provinces: ['64'] }, whatsapp_template: template });
    const to = (waId: string) => graph.calls.filter((call) => call.body.to === waId);
    expect(to('62811000001').map((call) => call.body.type)).toEqual(['text']);
    expect(to('62811000002').map((call) => call.body)).toEqual([
      expect.objectContaining({
        type: 'template',
        template: {
          name: 'pelita_alert',
          language: { code: 'id' },
          components: [{ type: 'body', parameters: [{ type: 'text', text: 'lowongan palsu di Kamboja' }] }],
        },
      }),
    ]);
    expect(to('62811000001')[0]?.body.biz_opaque_callback_data).toBe('bc-t5-template');
    // WhatsApp reports delivery and reading of tagged messages: counted once per recipient.
    const statuses = cloudWebhook(
      [],
      [
        { id: 'wamid.s1', status: 'delivered', recipient_id: '62811000001', biz_opaque_callback_data: 'bc-t5-template' },
        { id: 'wamid.s1', status: 'delivered', recipient_id: '62811000001', biz_opaque_callback_data: 'bc-t5-template' },
        { id: 'wamid.s2', status: 'read', recipient_id: '62811000002', biz_opaque_callback_data: 'bc-t5-template' },
      ],
    );
    const posted = await fetch(`${baseUrl}/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(statuses, 'app-secret-for-broadcast-tests') },
      body: statuses,
    });
    expect(posted.status).toBe(200);
    expect(await store.progress('t5-template', new Date())).toMatchObject({ sent: 2, delivered: 2, read: 1 });
    const without = await sendAndWait('t5-no-template', { target: { provinces: ['64'] } });
    expect(without).toMatchObject({ sent: 1, skipped: { outside_window: 1 } });
    expect(to('62811000002')).toHaveLength(1);
  });

  it('refuse a template parameter over 1,024 characters, naming it', async () => {
    await expect(
      store.create(
        definition('t6-long', { whatsapp_template: { name: 'x', language: 'id', parameters: ['a'.repeat(1025)] } }),
        'sari',
        new Date(),
      ),
    ).rejects.toThrow(/whatsapp_template\.parameters\.0: a template parameter is longer than 1024 characters/);
  });

  it('need a second staff member to approve above the threshold, and audit every step with a name', async () => {
    const strict = new BroadcastStore(runtime.redis, runtime.keys, book, { approvalThreshold: 2, languages: ['id', 'en'] });
    for (const n of [1, 2, 3]) await subscribe(`http:t7-${n}`, { province: '65' });
    await strict.create(definition('t7-big', { target: { provinces: ['65'] } }), 'sari', new Date());
    await expect(strict.send('t7-big', 'sari', new Date())).rejects.toThrow(/3 people, more than 2: a second staff member must approve/);
    await expect(strict.approve('t7-big', 'sari', new Date())).rejects.toThrow(/another staff member must approve/);
    await strict.approve('t7-big', 'budi', new Date());
    await strict.send('t7-big', 'sari', new Date());
    await waitForState('t7-big', ['done']);
    expect((await strict.auditTrail('t7-big')).map((entry) => [entry.event, entry.by])).toEqual([
      ['created', 'sari'],
      ['approved', 'budi'],
      ['send', 'sari'],
      ['done', 'system'],
    ]);
  });

  it('create once: the same definition again is harmless, a different one under its id is refused', async () => {
    const first = await store.create(definition('t8-once'), 'sari', new Date());
    const again = await store.create(definition('t8-once'), 'budi', new Date());
    expect([first.created, again.created]).toEqual([true, false]);
    expect(again.record.createdBy).toBe('sari');
    await expect(store.create(definition('t8-once', { title: 'changed' }), 'sari', new Date())).rejects.toThrow(
      /a different broadcast already has the id/,
    );
  });

  it('honour a STOP that arrives mid-broadcast', async () => {
    const chats = Array.from({ length: 8 }, (_, index) => 960_000 + index);
    for (const chat of chats) await subscribe(`telegram:${chat}`, { province: '71' });
    await store.create(definition('t9-stop', { target: { provinces: ['71'] } }), 'sari', new Date());
    await store.send('t9-stop', 'sari', new Date());
    await expect.poll(async () => (await store.progress('t9-stop', new Date())).sent, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    // Held while the last of them says STOP in the chat, as a person would, so their turn
    // surely comes after it whatever the machine's speed.
    await store.pause('t9-stop', 'sari', new Date());
    const last = chats.at(-1) as number;
    const client = bed.emulator.getClient(TEST_BOT_TOKEN, { userId: last, chatId: last });
    await client.sendMessage(client.makeMessage('STOP'));
    await expect.poll(async () => (await book.get(`telegram:${last}`))?.state, { timeout: 10_000 }).toBe('stopped');
    await store.resume('t9-stop', 'sari', new Date());
    const progress = await waitForState('t9-stop', ['done']);
    expect(progress).toMatchObject({ sent: 7, skipped: { stopped: 1 } });
    expect(botMessagesTo(bed.emulator, last).some((message) => message.text.includes('t9-stop'))).toBe(false);
    expect(await book.get(`telegram:${last}`)).toMatchObject({ state: 'stopped' });
  });

  it('stop within a second of a cancel', async () => {
    const chats = Array.from({ length: 12 }, (_, index) => 965_000 + index);
    for (const chat of chats) await subscribe(`telegram:${chat}`, { province: '75' });
    await store.create(definition('t9-cancel', { target: { provinces: ['75'] } }), 'sari', new Date());
    await store.send('t9-cancel', 'sari', new Date());
    await expect.poll(async () => (await store.progress('t9-cancel', new Date())).sent, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    const received = () => chats.filter((chat) => botMessagesTo(bed.emulator, chat).some((message) => message.text.includes('t9-cancel')));
    await store.cancel('t9-cancel', 'sari', new Date());
    const atCancel = received().length;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const settled = received().length;
    // Only those already in flight at the cancel may still arrive (two loops on the channel).
    expect(settled - atCancel).toBeLessThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(received().length).toBe(settled);
    expect(settled).toBeLessThan(12);
    const progress = await store.progress('t9-cancel', new Date());
    expect(progress.state).toBe('cancelled');
    expect(progress.inFlight).toBe(0);
    expect(progress.sent + progress.skipped.cancelled).toBe(12);
  });

  it('pause and resume', async () => {
    const chats = Array.from({ length: 6 }, (_, index) => 970_000 + index);
    for (const chat of chats) await subscribe(`telegram:${chat}`, { province: '72' });
    await store.create(definition('t10-pause', { target: { provinces: ['72'] } }), 'sari', new Date());
    await store.send('t10-pause', 'sari', new Date());
    await store.pause('t10-pause', 'sari', new Date());
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const whilePaused = (await store.progress('t10-pause', new Date())).sent;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await store.progress('t10-pause', new Date())).sent).toBe(whilePaused);
    await store.resume('t10-pause', 'budi', new Date());
    expect(await waitForState('t10-pause', ['done'])).toMatchObject({ sent: 6 });
  });

  it('mark a person who blocked the bot unreachable, wait out a 429, and send everyone else once', async () => {
    const chats = Array.from({ length: 4 }, (_, index) => 980_000 + index);
    for (const chat of chats) await subscribe(`telegram:${chat}`, { province: '73' });
    blocked.add(String(chats[0]));
    tooManyLeft = 1;
    const progress = await sendAndWait('t11-errors', { target: { provinces: ['73'] } });
    expect(progress).toMatchObject({ sent: 3, skipped: { unreachable: 1 }, failed: 0 });
    expect(await book.get(`telegram:${chats[0]}`)).toMatchObject({ state: 'unreachable' });
    for (const chat of chats.slice(1)) {
      expect(botMessagesTo(bed.emulator, chat).filter((message) => message.text.includes('t11-errors'))).toHaveLength(1);
    }
    expect(tooManyLeft).toBe(0);
  });

  it('keep to the weekly limit the consent promised, deferring the rest', async () => {
    await subscribe('http:t12', { province: '74' });
    await sendAndWait('t12-first', { target: { provinces: ['74'] } });
    await sendAndWait('t12-second', { target: { provinces: ['74'] } });
    await store.create(definition('t12-third', { target: { provinces: ['74'] } }), 'sari', new Date());
    await store.send('t12-third', 'sari', new Date());
    await expect.poll(async () => (await store.progress('t12-third', new Date())).deferred.weekly_limit, { timeout: 10_000 }).toBe(1);
    expect(await alertsTo('http:t12', 't12-third')).toEqual([]);
    const [, dueAt] = await runtime.redis.zrange(store.keysOf('t12-third').pending('http'), 0, 0, 'WITHSCORES');
    expect(Number(dueAt) - Date.now()).toBeGreaterThan(6 * 24 * 3600_000);
    await store.cancel('t12-third', 'sari', new Date());
  });
});
