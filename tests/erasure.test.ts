import { createHmac } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PelitaRuntime } from '../src/app/pelita-runtime.ts';
import { cloudWebhook, sign, startFakeGraphApi } from './harness/fake-graph-api.ts';
import { postUntilAccepted } from './harness/http-load.ts';
import { startTestPelita } from './harness/test-pelita.ts';
import { TEST_BOT_TOKEN, useTelegramTestbed, waitForBotMessages } from './harness/telegram-emulator.ts';

const bed = useTelegramTestbed();
const SECRET = 'app-secret-for-erasure-tests';
const CONFIRMED = /Data Anda sudah dihapus/;

let runtime: PelitaRuntime;
let baseUrl: string;
let inspect: Redis;
let graph: Awaited<ReturnType<typeof startFakeGraphApi>>;

beforeAll(async () => {
  graph = await startFakeGraphApi();
  ({ runtime, baseUrl } = await startTestPelita(bed.redis, {
    TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
    TELEGRAM_API_ROOT: bed.emulator.config.apiURL,
    WHATSAPP_CLOUD_ACCESS_TOKEN: 'EAAG-test',
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: '1098765',
    WHATSAPP_CLOUD_APP_SECRET: SECRET,
    WHATSAPP_CLOUD_VERIFY_TOKEN: 'verify',
    WHATSAPP_API_BASE: graph.url,
    ERASE_SECOND_PASS_S: '1',
  }));
  inspect = new Redis(bed.redis.url);
});

afterAll(async () => {
  await inspect?.quit();
  await runtime?.stop(2000);
  await graph?.stop();
});

/** Every key of this Pelita (BullMQ's too) whose name or value contains one of `needles`. */
async function traces(needles: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const key of await inspect.keys(`${bed.redis.prefix}:*`)) {
    const type = await inspect.type(key);
    const values: unknown =
      type === 'string'
        ? await inspect.get(key)
        : type === 'hash'
          ? await inspect.hgetall(key)
          : type === 'list'
            ? await inspect.lrange(key, 0, -1)
            : type === 'set'
              ? await inspect.smembers(key)
              : type === 'zset'
                ? await inspect.zrange(key, 0, -1)
                : type === 'stream'
                  ? await inspect.xrange(key, '-', '+')
                  : undefined;
    const text = `${key} ${JSON.stringify(values)}`;
    for (const needle of needles) if (text.includes(needle)) found.push(`${needle} in ${key}`);
  }
  return found;
}

/** Waits for the second pass of every deletion (the confirmation's own traces). */
async function secondPassesDone(): Promise<void> {
  await expect.poll(() => inspect.zcard(`${bed.redis.prefix}:erasures-due`), { timeout: 15_000, interval: 100 }).toBe(0);
}

const emergency = 'tolong saya dikurung majikan di malaysia';

describe('"delete my data" leaves no trace of the person, on every channel', () => {
  it('HTTP: nothing names them or their messages, and the case keeps a keyed pseudonym', async () => {
    const from = 'erase-person-http';
    await postUntilAccepted(baseUrl, { from, id: 'erase-http-1', text: emergency });
    await postUntilAccepted(baseUrl, { from, id: 'erase-http-2', text: 'hapus data saya' });
    await postUntilAccepted(baseUrl, { from, id: 'erase-http-3', text: 'ya' });
    await expect
      .poll(
        async () =>
          (await runtime.replyLog.read(`http:${from}`, '0')).some((entry) => entry.type === 'reply' && CONFIRMED.test(entry.reply.text)),
        { timeout: 20_000 },
      )
      .toBe(true);
    await secondPassesDone();
    expect(await traces([from, 'erase-http-'])).toEqual([]);

    const [kept] = await runtime.cases.store.list();
    const secret = await inspect.get(`${bed.redis.prefix}:secret:pseudonym`);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(kept?.conversationId).toBe(`deleted:${createHmac('sha256', secret!).update(`http:${from}`).digest('hex').slice(0, 32)}`);
  }, 60_000);

  it('Telegram: nothing names them', async () => {
    const userId = 777_001_234;
    const client = bed.emulator.getClient(TEST_BOT_TOKEN, { userId, chatId: userId, firstName: 'Rina', userName: 'rina_erase' });
    const from = { id: userId, is_bot: false, first_name: 'Rina', language_code: 'id' };
    await client.sendMessage(client.makeMessage(emergency, { from }));
    await waitForBotMessages(bed.emulator, userId, (messages) => messages.some((message) => /\+60/.test(message.text)), 20_000);
    await client.sendMessage(client.makeMessage('hapus data saya', { from }));
    await waitForBotMessages(bed.emulator, userId, (messages) => messages.some((message) => /Hapus semua data/.test(message.text)), 20_000);
    await client.sendMessage(client.makeMessage('ya', { from }));
    await waitForBotMessages(bed.emulator, userId, (messages) => messages.some((message) => CONFIRMED.test(message.text)), 20_000);
    await secondPassesDone();
    expect(await traces([String(userId), 'rina_erase'])).toEqual([]);
  }, 60_000);

  it('WhatsApp Cloud API: nothing names their number or their message ids', async () => {
    const phone = '6281300002222';
    const post = async (id: string, body: string) => {
      const payload = cloudWebhook([{ from: phone, id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body } }]);
      const response = await fetch(`${baseUrl}/webhooks/whatsapp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(payload, SECRET) },
        body: payload,
      });
      expect(response.status).toBe(200);
    };
    const said = () =>
      graph.calls
        .filter((call) => call.body.to === phone)
        .map((call) => JSON.stringify(call.body))
        .join('\n');
    await post('wamid.ERASE-1', emergency);
    await expect.poll(said, { timeout: 20_000 }).toMatch(/\+60/);
    await post('wamid.ERASE-2', 'hapus data saya');
    await expect.poll(said, { timeout: 20_000 }).toMatch(/Hapus semua data/);
    await post('wamid.ERASE-3', 'ya');
    await expect.poll(said, { timeout: 20_000 }).toMatch(CONFIRMED);
    await secondPassesDone();
    expect(await traces([phone, 'wamid.ERASE'])).toEqual([]);
  }, 60_000);

  it('WhatsApp Cloud API: a message older than a day (a replay) is acknowledged and dropped', async () => {
    const stale = Math.floor(Date.now() / 1000) - 25 * 3600;
    const payload = cloudWebhook([
      { from: '6281300009999', id: 'wamid.STALE', timestamp: String(stale), type: 'text', text: { body: 'halo' } },
    ]);
    const response = await fetch(`${baseUrl}/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(payload, SECRET) },
      body: payload,
    });
    expect(response.status).toBe(200);
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^pelita_messages_invalid_total\{channel="whatsapp-cloud"\} 1$/m);
    expect(await traces(['6281300009999', 'wamid.STALE'])).toEqual([]);
  });
});
