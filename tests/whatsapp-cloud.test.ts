import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { RedisKeys } from '../src/redis/redis-keys.ts';
import type { PelitaRuntime } from '../src/app/pelita-runtime.ts';
import { WhatsAppCloudSender } from '../src/channels/whatsapp-cloud/whatsapp-cloud-sender.ts';
import { renderForCloud } from '../src/channels/whatsapp-cloud/whatsapp-cloud-render.ts';
import { cloudWebhook, sign, startFakeGraphApi } from './harness/fake-graph-api.ts';
import { memoryLogger, startTestPelita } from './harness/test-pelita.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';
import { spawnPelita, type PelitaProcess } from './harness/pelita-process.ts';
import { loadEngineContext } from '../src/app/load-engine-context.ts';

const SECRET = 'app-secret-for-tests';
const VERIFY = 'verify-token-for-tests';
const PHONE_ID = '1098765';

let redis: TestRedis;
let graph: Awaited<ReturnType<typeof startFakeGraphApi>>;
beforeAll(async () => {
  redis = await startTestRedis();
  graph = await startFakeGraphApi();
});
afterAll(async () => {
  await graph?.stop();
  await redis?.stop();
});

const cloudEnv = () => ({
  WHATSAPP_CLOUD_ACCESS_TOKEN: 'EAAG-test',
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: PHONE_ID,
  WHATSAPP_CLOUD_APP_SECRET: SECRET,
  WHATSAPP_CLOUD_VERIFY_TOKEN: VERIFY,
  WHATSAPP_API_BASE: graph.url,
});
const text = (from: string, id: string, body: string) => ({
  from,
  id,
  timestamp: String(Math.floor(Date.now() / 1000)),
  type: 'text',
  text: { body },
});
const sentTo = (waId: string) => graph.calls.filter((call) => call.body.to === waId);

describe('WhatsApp Cloud API', () => {
  let runtime: PelitaRuntime;
  let baseUrl: string;
  beforeAll(async () => {
    ({ runtime, baseUrl } = await startTestPelita(redis, { ...cloudEnv(), WHATSAPP_CLOUD_TEMPLATE: 'pelita_followup:id' }));
  });
  afterAll(async () => {
    await runtime?.stop(2000);
  });

  const post = (body: string, signature?: string) =>
    fetch(`${baseUrl}/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) },
      body,
    });

  it('answers the verification challenge only with the right verify token', async () => {
    const ok = await fetch(`${baseUrl}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    expect((await fetch(`${baseUrl}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`)).status).toBe(403);
  });

  it('refuses unsigned and wrongly signed posts with 401, and malformed ones with 400', async () => {
    const body = cloudWebhook([text('6280001', 'wamid.A', 'halo')]);
    expect((await post(body)).status).toBe(401);
    expect((await post(body, sign(body, 'not-the-secret'))).status).toBe(401);
    expect((await post(body, 'sha256=zz')).status).toBe(401);
    expect((await post('{not json', sign('{not json', SECRET))).status).toBe(400);
    const wrongShape = JSON.stringify({ object: 'page', entry: [] });
    expect((await post(wrongShape, sign(wrongShape, SECRET))).status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sentTo('6280001')).toEqual([]);
  });

  it('drops the unreadable messages of a signed batch, queues the good ones, and never answers 5xx', async () => {
    const body = cloudWebhook([
      {
        from: '6280009',
        id: 'wamid.bad-place',
        timestamp: String(Math.floor(Date.now() / 1000)),
        type: 'location',
        location: { latitude: 91, longitude: 10 },
      },
      text('6280009', 'wamid.long', 'a'.repeat(16_385)),
      text('6280009', 'wamid.good', 'halo'),
    ]);
    expect((await post(body, sign(body, SECRET))).status).toBe(200);
    // The long one is cut to WhatsApp's own limit and answered; the good one too.
    await expect.poll(() => sentTo('6280009').length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^pelita_messages_invalid_total\{channel="whatsapp-cloud"\} 1$/m);
  });

  it('answers a signed text with reply buttons, then a button and a list reply move the conversation on', async () => {
    const person = '6281111';
    const first = cloudWebhook([text(person, 'wamid.1', 'halo')]);
    expect((await post(first, sign(first, SECRET))).status).toBe(200);
    await expect.poll(() => sentTo(person).length).toBeGreaterThan(0);
    const [language] = sentTo(person);
    expect(language!.path).toBe(`/v21.0/${PHONE_ID}/messages`);
    expect(language!.authorization).toBe('Bearer EAAG-test');
    expect(language!.body).toMatchObject({
      messaging_product: 'whatsapp',
      to: person,
      type: 'interactive',
      interactive: { type: 'button' },
    });
    const buttons = (language!.body.interactive as { action: { buttons: { reply: { id: string; title: string } }[] } }).action.buttons;
    expect(buttons.map((button) => button.reply.id)).toEqual(['lang_id', 'lang_en']);

    const press = cloudWebhook([
      {
        from: person,
        id: 'wamid.2',
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: 'lang_id', title: 'Bahasa Indonesia' } },
      },
    ]);
    expect((await post(press, sign(press, SECRET))).status).toBe(200);
    await expect
      .poll(() => sentTo(person).some((call) => (call.body.interactive as { type?: string } | undefined)?.type === 'list'), {
        timeout: 10_000,
      })
      .toBe(true);
    const menu = sentTo(person).find((call) => (call.body.interactive as { type?: string } | undefined)?.type === 'list')!;
    const list = menu.body.interactive as {
      body: { text: string };
      action: { button: string; sections: { rows: { id: string; title: string }[] }[] };
    };
    expect(list.body.text).toBe('Apa yang bisa saya bantu?');
    expect(list.action.button).toBe('Pilih');
    expect(list.action.sections[0]!.rows.map((row) => row.id)).toContain('warning_signs');

    const before = sentTo(person).length;
    const pick = cloudWebhook([
      {
        from: person,
        id: 'wamid.3',
        type: 'interactive',
        interactive: { type: 'list_reply', list_reply: { id: 'warning_signs', title: 'Tanda bahaya' } },
      },
    ]);
    expect((await post(pick, sign(pick, SECRET))).status).toBe(200);
    // One message a second per person after a burst of three: allow for the pace.
    await expect
      .poll(
        () =>
          sentTo(person)
            .slice(before)
            .map((call) => JSON.stringify(call.body))
            .join(),
        { timeout: 10_000 },
      )
      .toMatch(/Tanda kerja paksa/);
  });

  it('answers a redelivered message once and records delivery statuses', async () => {
    const person = '6282222';
    const body = cloudWebhook([text(person, 'wamid.dup', 'halo')]);
    expect((await post(body, sign(body, SECRET))).status).toBe(200);
    expect((await post(body, sign(body, SECRET))).status).toBe(200);
    await expect.poll(() => sentTo(person).length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sentTo(person)).toHaveLength(1);

    const statuses = cloudWebhook(
      [],
      [
        { id: 'wamid.out1', status: 'delivered', timestamp: '1790000000', recipient_id: person },
        { id: 'wamid.out2', status: 'failed', recipient_id: person, errors: [{ code: 131026 }] },
      ],
    );
    expect((await post(statuses, sign(statuses, SECRET))).status).toBe(200);
    expect(await runtime.redis.hgetall(runtime.keys.whatsappStatuses(`whatsapp-cloud:${person}`))).toEqual({
      'wamid.out1': 'delivered',
      'wamid.out2': 'failed',
    });
  });

  it('backs off on a throughput error (130429) and sends the message once it may', async () => {
    const person = '6283333';
    graph.failNext(400, 130429);
    const body = cloudWebhook([text(person, 'wamid.busy', 'halo')]);
    expect((await post(body, sign(body, SECRET))).status).toBe(200);
    await expect.poll(() => sentTo(person).length, { timeout: 10_000 }).toBe(2);
    const [refused, sent] = sentTo(person);
    expect(sent!.at - refused!.at).toBeGreaterThanOrEqual(1900);
    expect(sent!.body).toEqual(refused!.body);
  });

  it('outside the 24-hour window sends only the approved template', async () => {
    const conversationId = 'whatsapp-cloud:6284444';
    await runtime.redis.set(runtime.keys.whatsappLastInbound(conversationId), String(Date.now() - 25 * 3600_000));
    await runtime.outboundFor('whatsapp-cloud').enqueue(conversationId, {
      id: 'late-1',
      payload: {
        conversationId,
        inReplyTo: 'late-1',
        replies: [{ id: 'late-1:1', inReplyTo: 'late-1', text: 'Petugas: apakah Anda aman?' }],
      },
    });
    await expect.poll(() => sentTo('6284444').length).toBe(1);
    expect(sentTo('6284444')[0]!.body).toMatchObject({ type: 'template', template: { name: 'pelita_followup', language: { code: 'id' } } });
  });
});

describe('WhatsApp Cloud rendering and the window without a template', () => {
  it('uses buttons for up to 3 short choices, a list up to 10, numbered text otherwise', () => {
    const choices = (n: number, label = 'Pilihan') => Array.from({ length: n }, (_, i) => ({ id: `c${i}`, label: `${label} ${i + 1}` }));
    expect(renderForCloud({ text: 'Q', choices: choices(3) }, 'Pilih')[0]).toMatchObject({
      type: 'interactive',
      interactive: { type: 'button' },
    });
    expect(renderForCloud({ text: 'Q', choices: choices(4) }, 'Pilih')[0]).toMatchObject({
      type: 'interactive',
      interactive: { type: 'list' },
    });
    expect(renderForCloud({ text: 'Q', choices: choices(2, 'Twenty-one characters') }, 'Pilih')[0]).toMatchObject({
      type: 'interactive',
      interactive: { type: 'list' },
    });
    const many = renderForCloud({ text: 'Q', choices: choices(11) }, 'Pilih');
    expect(many).toEqual([
      {
        type: 'text',
        text: {
          body: `Q\n\n${choices(11)
            .map((c, i) => `${i + 1}. ${c.label}`)
            .join('\n')}`,
          preview_url: false,
        },
      },
    ]);
  });

  it('sends nothing outside the window when no template is configured', async () => {
    const { log, lines } = memoryLogger();
    const connection = new Redis(redis.url);
    onTestFinished(() => void connection.quit());
    const sender = new WhatsAppCloudSender({
      settings: { base: graph.url, phoneNumberId: PHONE_ID, accessToken: 't' },
      redis: connection,
      keys: new RedisKeys(`${redis.prefix}x`),
      translator: loadEngineContext().translator,
      log,
      rememberSeconds: 60,
    });
    await sender.deliver({
      conversationId: 'whatsapp-cloud:6285555',
      inReplyTo: 'x',
      replies: [{ id: 'x:1', inReplyTo: 'x', text: 'hi' }],
    });
    expect(sentTo('6285555')).toEqual([]);
    expect(lines.some((line) => line.includes('outside the 24-hour window'))).toBe(true);
  });
});

describe('issue 9, done when: npm start with the four Cloud variables', () => {
  let pelita: PelitaProcess;
  afterAll(async () => {
    pelita?.child.kill('SIGTERM');
    await pelita?.exited;
  });

  it('answers the challenge, refuses an unsigned POST, accepts a signed text and POSTs the reply to the sender', async () => {
    pelita = await spawnPelita('all', { REDIS_URL: redis.url, REDIS_PREFIX: `${redis.prefix}p`, ...cloudEnv() });
    const baseUrl = `http://127.0.0.1:${pelita.port}`;
    expect(await (await fetch(`${baseUrl}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=42`)).text()).toBe(
      '42',
    );
    const body = cloudWebhook([text('6289999', 'wamid.p1', 'halo')]);
    const headers = { 'content-type': 'application/json' };
    expect((await fetch(`${baseUrl}/webhooks/whatsapp`, { method: 'POST', headers, body })).status).toBe(401);
    expect(
      (
        await fetch(`${baseUrl}/webhooks/whatsapp`, {
          method: 'POST',
          headers: { ...headers, 'x-hub-signature-256': sign(body, SECRET) },
          body,
        })
      ).status,
    ).toBe(200);
    await expect.poll(() => sentTo('6289999').map((call) => call.path), { timeout: 15_000 }).toContain(`/v21.0/${PHONE_ID}/messages`);
  }, 60_000);
});
