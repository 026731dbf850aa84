import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PelitaRuntime } from '../src/app/pelita-runtime.ts';
import { startTestPelita } from './harness/test-pelita.ts';
import {
  recordingTransformer,
  TEST_BOT_TOKEN,
  useTelegramTestbed,
  waitForBotMessages,
  type RecordedCall,
} from './harness/telegram-emulator.ts';

const bed = useTelegramTestbed();

type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };
const keyboardOf = (message: { reply_markup?: unknown }) => message.reply_markup as Keyboard | undefined;

describe('Telegram by long polling (grammY against the Bot API bed.emulator)', () => {
  let runtime: PelitaRuntime;
  const calls: RecordedCall[] = [];

  beforeAll(async () => {
    ({ runtime } = await startTestPelita(
      bed.redis,
      { TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN, TELEGRAM_API_ROOT: bed.emulator.config.apiURL, TELEGRAM_CHAT_RATE_PER_S: '100' },
      'all',
      { configureTelegramApi: recordingTransformer(calls) },
    ));
  });
  afterAll(async () => {
    await runtime?.stop(2000);
  });

  it('registers the command menu in both languages', async () => {
    await expect.poll(() => calls.filter((call) => call.method === 'setMyCommands').length).toBeGreaterThanOrEqual(3);
    const byLanguage = calls.filter((call) => call.method === 'setMyCommands').map((call) => call.payload.language_code ?? 'default');
    expect(new Set(byLanguage)).toEqual(new Set(['id', 'en', 'default']));
    const english = calls.find((call) => call.method === 'setMyCommands' && call.payload.language_code === 'en');
    expect(((english?.payload.commands ?? []) as { command: string }[]).map((entry) => entry.command)).toEqual([
      'start',
      'menu',
      'help',
      'language',
      'stop',
      'delete',
    ]);
  });

  it('answers /start with an inline keyboard, moves on when a button is pressed, and answers free text', async () => {
    const chatId = 7001;
    const client = bed.emulator.getClient(TEST_BOT_TOKEN, { userId: chatId, chatId, firstName: 'Ani', userName: 'ani' });
    await client.sendCommand(client.makeCommand('/start', { from: { id: chatId, is_bot: false, first_name: 'Ani', language_code: 'en' } }));
    const first = await waitForBotMessages(bed.emulator, chatId, (messages) => messages.some((message) => keyboardOf(message)));
    const menu = first.find((message) => keyboardOf(message))!;
    expect(menu.parse_mode).toBe('HTML');
    const buttons = keyboardOf(menu)!.inline_keyboard.flat();
    expect(buttons.length).toBeGreaterThan(1);
    for (const button of buttons) expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);

    // Press the first button ("1. ...").
    const before = first.length;
    await client.sendCallback(
      client.makeCallbackQuery(buttons[0]!.callback_data, { message: { message_id: 1, chat: { id: chatId, type: 'private' } } }),
    );
    const afterPress = await waitForBotMessages(bed.emulator, chatId, (messages) => messages.length > before);
    expect(
      afterPress
        .slice(before)
        .map((message) => message.text)
        .join('\n'),
    ).not.toEqual('');
    await expect.poll(() => calls.some((call) => call.method === 'answerCallbackQuery')).toBe(true);

    const beforeQuestion = afterPress.length;
    await client.sendMessage(client.makeMessage('how do I work abroad legally?'));
    const answered = await waitForBotMessages(bed.emulator, chatId, (messages) => messages.length > beforeQuestion);
    // Understood as "migrate safely": that flow's own menu, not the main one again.
    const reply = answered.slice(beforeQuestion).at(-1)!;
    expect(reply.text).toBe('What would you like to know?');
    expect(keyboardOf(reply)?.inline_keyboard.length).toBeGreaterThan(1);
  });

  it('polls from one gateway only: a second one stands by', async () => {
    const second = await startTestPelita(
      bed.redis,
      { TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN, TELEGRAM_API_ROOT: bed.emulator.config.apiURL },
      'gateway',
      {
        configureTelegramApi: recordingTransformer([]),
      },
    );
    try {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(second.lines.some((line) => line.includes('polling Telegram for updates'))).toBe(false);
      expect(await runtime.redis.get(runtime.keys.telegramPoller())).not.toBeNull();
    } finally {
      await second.runtime.stop(1000);
    }
  });

  it('keeps a deep link as the source of the conversation', async () => {
    const chatId = 7002;
    const client = bed.emulator.getClient(TEST_BOT_TOKEN, { userId: chatId, chatId });
    await client.sendCommand(client.makeCommand('/start poster_mataram'));
    await waitForBotMessages(bed.emulator, chatId, (messages) => messages.length > 0);
    const session = JSON.parse((await runtime.redis.get(runtime.keys.session(`telegram:${chatId}`))) ?? '{}') as {
      vars?: Record<string, unknown>;
    };
    expect(session.vars?.source).toBe('poster_mataram');
  });
});

describe('Telegram by webhook', () => {
  const secret = 'webhook-secret-0123456789';
  let runtime: PelitaRuntime;
  let baseUrl: string;
  const calls: RecordedCall[] = [];

  beforeAll(async () => {
    ({ runtime, baseUrl } = await startTestPelita(
      bed.redis,
      {
        TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
        TELEGRAM_API_ROOT: bed.emulator.config.apiURL,
        TELEGRAM_WEBHOOK_URL: 'https://pelita.example.org/webhooks/telegram',
        TELEGRAM_WEBHOOK_SECRET: secret,
        TELEGRAM_CHAT_RATE_PER_S: '100',
      },
      'all',
      // The bed.emulator would try to deliver every update to that public URL.
      { configureTelegramApi: recordingTransformer(calls, undefined, ['setMyCommands', 'setWebhook']) },
    ));
  });
  afterAll(async () => {
    await runtime?.stop(2000);
  });

  const post = (body: unknown, token?: string) =>
    fetch(`${baseUrl}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { 'x-telegram-bot-api-secret-token': token } : {}) },
      body: JSON.stringify(body),
    });
  const update = (updateId: number, chatId: number, text: string) => ({
    update_id: updateId,
    message: {
      message_id: updateId,
      date: 1_790_000_000,
      chat: { id: chatId, type: 'private' },
      from: { id: chatId, is_bot: false, first_name: 'B', language_code: 'id' },
      text,
    },
  });

  it('registers the webhook with its secret token', async () => {
    await expect
      .poll(() => calls.find((call) => call.method === 'setWebhook')?.payload)
      .toMatchObject({
        url: 'https://pelita.example.org/webhooks/telegram',
        secret_token: secret,
      });
  });

  it('refuses a missing or wrong secret with 401 and a malformed update with 400', async () => {
    expect((await post(update(900, 8001, 'halo'))).status).toBe(401);
    expect((await post(update(900, 8001, 'halo'), 'wrong-secret-0123456789')).status).toBe(401);
    expect((await post({ message: 'no update id' }, secret)).status).toBe(400);
    expect(emulatorChatIsQuiet(8001)).toBe(true);
  });

  it('acknowledges and drops an update it cannot read (never a 5xx that Telegram would retry), and counts it', async () => {
    expect((await post({ update_id: 950, message: { chat: null } }, secret)).status).toBe(200);
    expect(
      (
        await post(
          { update_id: 951, callback_query: { id: 'q', data: 'x', message: { message_id: 1, chat: { id: 8003, type: 'private' } } } },
          secret,
        )
      ).status,
    ).toBe(200);
    // The next, readable update from the same person is answered.
    expect((await post(update(952, 8003, 'halo'), secret)).status).toBe(200);
    await waitForBotMessages(bed.emulator, 8003, (sent) => sent.length > 0);
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^pelita_messages_invalid_total\{channel="telegram"\} 2$/m);
  });

  it('accepts an update with the secret, answers it, and drops the same update_id again', async () => {
    expect((await post(update(901, 8002, 'halo'), secret)).status).toBe(200);
    expect((await post(update(901, 8002, 'halo'), secret)).status).toBe(200);
    const messages = await waitForBotMessages(bed.emulator, 8002, (sent) => sent.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(waitCount(8002)).toBe(messages.length);
    expect(messages.map((message) => message.text).join('\n')).toMatch(/Apa yang bisa saya bantu|Pilih bahasa/);
  });
});

function emulatorChatIsQuiet(chatId: number): boolean {
  return waitCount(chatId) === 0;
}

function waitCount(chatId: number): number {
  return bed.emulator.storage.botMessages.filter((entry) => String(entry.message.chat_id) === String(chatId)).length;
}

describe('Telegram limits (a grammY transformer plays the platform)', () => {
  let runtime: PelitaRuntime;
  const calls: (RecordedCall & { at: number })[] = [];
  let refused429 = false;

  beforeAll(async () => {
    const recorded: RecordedCall[] = [];
    ({ runtime } = await startTestPelita(
      bed.redis,
      { TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN, TELEGRAM_API_ROOT: bed.emulator.config.apiURL, TELEGRAM_CHAT_RATE_PER_S: '100' },
      'all',
      {
        configureTelegramApi: recordingTransformer(recorded, (call) => {
          if (call.method !== 'sendMessage') return undefined;
          calls.push({ ...call, at: Date.now() });
          if (call.payload.chat_id === '9001' && !refused429) {
            refused429 = true;
            return { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } };
          }
          if (call.payload.chat_id === '9002') return { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' };
          return undefined;
        }),
      },
    ));
  });
  afterAll(async () => {
    await runtime?.stop(2000);
  });

  it('waits retry_after on a 429, then sends everything once', async () => {
    const client = bed.emulator.getClient(TEST_BOT_TOKEN, { userId: 9001, chatId: 9001 });
    await client.sendMessage(client.makeMessage('halo'));
    const messages = await waitForBotMessages(bed.emulator, 9001, (sent) => sent.some((message) => keyboardOf(message)));
    const attempts = calls.filter((call) => call.payload.chat_id === '9001');
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
    // The refused message was sent again, and nothing twice.
    expect(attempts[1]!.payload.text).toBe(attempts[0]!.payload.text);
    expect(new Set(messages.map((message) => message.text)).size).toBe(messages.length);
  });

  it('marks a person who blocked the bot unreachable and does not retry', async () => {
    const client = bed.emulator.getClient(TEST_BOT_TOKEN, { userId: 9002, chatId: 9002 });
    await client.sendMessage(client.makeMessage('halo'));
    await expect.poll(() => runtime.redis.exists(runtime.keys.unreachable('telegram:9002'))).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(calls.filter((call) => call.payload.chat_id === '9002')).toHaveLength(1);
  });
});
