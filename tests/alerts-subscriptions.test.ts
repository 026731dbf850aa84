import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContactBook } from '../src/alerts/contact-book.ts';
import { findAudience } from '../src/alerts/audience.ts';
import type { PelitaRuntime } from '../src/app/pelita-runtime.ts';
import { loadEngineContext } from '../src/app/load-engine-context.ts';
import { cloudWebhook, sign, startFakeGraphApi } from './harness/fake-graph-api.ts';
import { fakeClientFactory, textMessage } from './harness/fake-whatsapp-client.ts';
import { startTestPelita } from './harness/test-pelita.ts';
import {
  recordingTransformer,
  TEST_BOT_TOKEN,
  useTelegramTestbed,
  waitForBotMessages,
  type RecordedCall,
} from './harness/telegram-emulator.ts';

/**
 * Subscribing to alerts and STOP on every channel, through the whole pipeline: Telegram
 * (grammY against the Bot API emulator), WhatsApp Cloud (signed webhooks, a local Graph
 * stand-in) and HTTP, on a real Redis; then what the contact book holds.
 */
const bed = useTelegramTestbed();
const whatsappWeb = fakeClientFactory();
const SECRET = 'app-secret-for-alert-tests';
const { translator } = loadEngineContext();

let graph: Awaited<ReturnType<typeof startFakeGraphApi>>;
let runtime: PelitaRuntime;
let baseUrl: string;
let book: ContactBook;
const calls: RecordedCall[] = [];

beforeAll(async () => {
  graph = await startFakeGraphApi();
  ({ runtime, baseUrl } = await startTestPelita(
    bed.redis,
    {
      TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
      TELEGRAM_API_ROOT: bed.emulator.config.apiURL,
      TELEGRAM_CHAT_RATE_PER_S: '100',
      WHATSAPP_CLOUD_ACCESS_TOKEN: 'EAAG-test',
      WHATSAPP_CLOUD_PHONE_NUMBER_ID: '1098765',
      WHATSAPP_CLOUD_APP_SECRET: SECRET,
      WHATSAPP_CLOUD_VERIFY_TOKEN: 'verify-token-for-alert-tests',
      WHATSAPP_API_BASE: graph.url,
      WHATSAPP_WEB_ENABLED: '1',
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'pelita-alerts-')),
      WHATSAPP_WEB_RATE_PER_S: '100',
      CHROMIUM_PATH: '/opt/test/chromium',
    },
    'all',
    { configureTelegramApi: recordingTransformer(calls), createWhatsAppWebClient: whatsappWeb.factory },
  ));
  while (whatsappWeb.clients.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  whatsappWeb.clients.at(-1)?.emit('ready');
  book = new ContactBook(runtime.redis, runtime.keys);
});
afterAll(async () => {
  await runtime?.stop(2000);
  await graph?.stop();
});

/** One person on one channel: send a message, get the text of every reply it brought. */
interface Person {
  conversationId: string;
  say(text: string): Promise<string>;
}

function onTelegram(chatId: number): Person {
  const client = bed.emulator.getClient(TEST_BOT_TOKEN, { userId: chatId, chatId });
  return {
    conversationId: `telegram:${chatId}`,
    say: async (text) => {
      const before = (await waitForBotMessages(bed.emulator, chatId, () => true)).length;
      await (text.startsWith('/') ? client.sendCommand(client.makeCommand(text)) : client.sendMessage(client.makeMessage(text)));
      return settled(async () => (await waitForBotMessages(bed.emulator, chatId, () => true)).slice(before).map((message) => message.text));
    },
  };
}

function onWhatsAppCloud(waId: string): Person {
  let counter = 0;
  return {
    conversationId: `whatsapp-cloud:${waId}`,
    say: async (text) => {
      const before = graph.calls.filter((call) => call.body.to === waId).length;
      counter += 1;
      const body = cloudWebhook([
        {
          from: waId,
          id: `wamid.${waId}.${counter}`,
          timestamp: String(Math.floor(Date.now() / 1000)),
          type: 'text',
          text: { body: text },
        },
      ]);
      const posted = await fetch(`${baseUrl}/webhooks/whatsapp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, SECRET) },
        body,
      });
      expect(posted.status).toBe(200);
      return settled(async () =>
        graph.calls
          .filter((call) => call.body.to === waId)
          .slice(before)
          .map((call) => JSON.stringify(call.body)),
      );
    },
  };
}

function onWhatsAppWeb(phone: string): Person {
  const chat = `${phone}@c.us`;
  let counter = 0;
  const sent = () => whatsappWeb.clients.flatMap((client) => client.sent).filter((message) => message.chatId === chat);
  return {
    conversationId: `whatsapp-web:${chat}`,
    say: async (text) => {
      const before = sent().length;
      counter += 1;
      whatsappWeb.clients.at(-1)?.emit('message', textMessage(chat, `W${counter}`, text));
      return settled(async () =>
        sent()
          .slice(before)
          .map((message) => message.text),
      );
    },
  };
}

function onHttp(from: string): Person {
  let counter = 0;
  let cursor = '0';
  return {
    conversationId: `http:${from}`,
    say: async (text) => {
      counter += 1;
      const posted = await fetch(`${baseUrl}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from, id: `m${counter}`, text }),
      });
      expect(posted.status).toBe(202);
      const texts: string[] = [];
      for (let polls = 0; polls < 3; polls++) {
        const answer = (await (
          await fetch(`${baseUrl}/v1/conversations/${from}/replies?after=${cursor}&wait=${texts.length ? 300 : 10000}`)
        ).json()) as {
          replies: { text: string; inReplyTo: string }[];
          cursor: string;
        };
        cursor = answer.cursor;
        texts.push(...answer.replies.map((reply) => reply.text));
        if (texts.length > 0 && answer.replies.length === 0) break;
      }
      return texts.join('\n');
    },
  };
}

/** Waits until a turn's replies stop arriving (none for 300 ms after the first), and joins them. */
async function settled(read: () => Promise<string[]>): Promise<string> {
  const deadline = Date.now() + 15_000;
  let last: string[] = [];
  let steadySince = Date.now();
  for (;;) {
    const now = await read();
    if (now.length !== last.length) [last, steadySince] = [now, Date.now()];
    if (last.length > 0 && Date.now() - steadySince >= 300) return last.join('\n');
    if (Date.now() > deadline) throw new Error(`no reply within 15 s; so far: ${last.join(' | ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const people: [string, () => Person, string][] = [
  ['Telegram', () => onTelegram(8101), 'en'],
  ['WhatsApp Cloud', () => onWhatsAppCloud('628123450001'), 'id'],
  ['HTTP', () => onHttp('6281234500002'), 'id'],
  ['WhatsApp Web', () => onWhatsAppWeb('6281234500006'), 'en'],
];

describe('alerts: subscribe and stop on every channel', () => {
  for (const [name, make, language] of people) {
    it(`${name}: consent, topics and area, then STOP ends them all, and subscribing again works`, async () => {
      const person = make();
      const t = (key: string) => translator.t(key, language);
      await person.say(language === 'en' ? 'hello' : 'halo');
      await person.say(language === 'en' ? '2' : '1');
      expect(await person.say(language === 'en' ? 'subscribe to alerts' : 'langganan info')).toContain(t('alerts.consent').slice(0, 40));
      expect(await person.say(language === 'en' ? 'yes' : 'ya')).toContain(t('alerts.topics'));
      // Saved as soon as the topics are chosen; the area questions after it are optional.
      const subscribed = await person.say('2 3');
      expect(subscribed).toContain(t('alerts.subscribed').slice(0, 20));
      expect(subscribed).toContain(t('alerts.ask_home').slice(0, 30));
      expect(await person.say('Lombok Timur')).toContain(t('alerts.ask_destination').slice(0, 30));
      expect(await person.say('Malaysia')).toContain(t('menu.prompt'));

      const digest = createHash('sha256')
        .update(translator.t('alerts.consent', language, { alerts_per_week: 2 }))
        .digest('hex')
        .slice(0, 8);
      const contact = await book.get(person.conversationId);
      expect(contact).toMatchObject({
        conversationId: person.conversationId,
        language,
        district: '52.03',
        province: '52',
        destination: 'MY',
        topics: ['scam_alerts', 'job_programmes'],
        state: 'subscribed',
        consent: { wording: `alerts.consent#${digest}` },
      });
      expect(Date.parse(contact?.consent.at ?? '')).toBeGreaterThan(Date.now() - 60_000);
      expect(await findAudience(book, { topics: ['job_programmes'], districts: ['52.03'] })).toContain(contact?.number);

      expect(await person.say('STOP')).toContain(t('alerts.stopped').slice(0, 20));
      expect(await book.get(person.conversationId)).toMatchObject({ state: 'stopped' });
      expect(await findAudience(book, { topics: ['job_programmes'] })).not.toContain(contact?.number);

      await person.say(language === 'en' ? 'subscribe to alerts' : 'langganan info');
      await person.say(language === 'en' ? 'yes' : 'ya');
      // Area and destination are known now: not asked again.
      expect(await person.say('1')).toContain(t('alerts.subscribed').slice(0, 20));
      expect(await book.get(person.conversationId)).toMatchObject({
        state: 'subscribed',
        topics: ['scam_alerts', 'job_programmes', 'destination_news', 'local_services'],
      });
    });
  }

  /** An English speaker subscribing to the given topics, skipping area and destination. */
  const subscribeInEnglish = async (person: Person, first: string, topics: string) => {
    for (const text of [first, '2', 'subscribe to alerts', 'yes', topics, 'skip', 'skip']) await person.say(text);
  };

  it('records a Telegram deep link as the consent source', async () => {
    const person = onTelegram(8102);
    await subscribeInEnglish(person, '/start poster_mataram', '1');
    expect(await book.get(person.conversationId)).toMatchObject({ state: 'subscribed', consent: { source: 'poster_mataram' } });
    expect((await book.members('source:poster_mataram')).length).toBe(1);
  });

  it('keeps nobody who declined', async () => {
    const person = onHttp('6281234500003');
    for (const text of ['halo', '1', 'langganan info']) await person.say(text);
    expect(await person.say('tidak')).toContain(translator.t('alerts.declined', 'id'));
    expect(await book.get(person.conversationId)).toBeUndefined();
  });

  it('still knows a subscriber whose quiet session expired: STOP says alerts stopped', async () => {
    const person = onHttp('6281234500004');
    await subscribeInEnglish(person, 'halo', '1');
    await runtime.redis.del(runtime.keys.session(person.conversationId));
    expect(await person.say('stop')).toContain(translator.t('alerts.stopped', 'en').slice(0, 20));
    expect(await book.get(person.conversationId)).toMatchObject({ state: 'stopped' });
  });

  it('forgets the subscription with "delete my data"', async () => {
    const person = onWhatsAppCloud('628123450005');
    await subscribeInEnglish(person, 'hello', '2');
    expect(await book.get(person.conversationId)).toBeDefined();
    await person.say('delete my data');
    await person.say('yes');
    expect(await book.get(person.conversationId)).toBeUndefined();
  });
});
