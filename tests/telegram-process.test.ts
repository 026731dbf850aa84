import type { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnPelita, type PelitaProcess } from './harness/pelita-process.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';
import { startTelegramEmulator, TEST_BOT_TOKEN, waitForBotMessages } from './harness/telegram-emulator.ts';

type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };

/**
 * Issue 7's "done when": `pelita start` (what `npm start` runs), as its own process, with
 * TELEGRAM_BOT_TOKEN=123456:TEST and TELEGRAM_API_ROOT pointing at the emulator.
 */
describe('pelita start with a Telegram token', () => {
  let redis: TestRedis;
  let emulator: TelegramServer;
  let pelita: PelitaProcess;

  beforeAll(async () => {
    redis = await startTestRedis();
    emulator = await startTelegramEmulator();
    pelita = await spawnPelita('all', {
      REDIS_URL: redis.url,
      REDIS_PREFIX: redis.prefix,
      TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
      TELEGRAM_API_ROOT: emulator.config.apiURL,
    });
  });
  afterAll(async () => {
    pelita?.child.kill('SIGTERM');
    await pelita?.exited;
    await emulator?.stop();
    await redis?.stop();
  });

  it('answers /start with an inline keyboard, follows a button press, and answers a question', async () => {
    const chatId = 5150;
    const client = emulator.getClient(TEST_BOT_TOKEN, { userId: chatId, chatId });
    await client.sendCommand(client.makeCommand('/start', { from: { id: chatId, is_bot: false, first_name: 'Sri', language_code: 'id' } }));
    const first = await waitForBotMessages(emulator, chatId, (messages) => messages.some((message) => message.reply_markup));
    const menu = first.find((message) => message.reply_markup)!;
    expect(menu.text).toBe('Apa yang bisa saya bantu?');
    const buttons = (menu.reply_markup as Keyboard).inline_keyboard.flat();
    // "3. Tanda bahaya": the warning-signs flow.
    const signs = buttons.find((button) => button.text.startsWith('3.'))!;
    await client.sendCallback(
      client.makeCallbackQuery(signs.callback_data, { message: { message_id: 1, chat: { id: chatId, type: 'private' } } }),
    );
    const pressed = await waitForBotMessages(emulator, chatId, (messages) => messages.length > first.length);
    expect(
      pressed
        .slice(first.length)
        .map((message) => message.text)
        .join('\n'),
    ).toMatch(/Tanda kerja paksa/);

    // The per-chat pace (1 a second, bursts of 3) applies here: allow for it.
    await client.sendMessage(client.makeMessage('PT Bunga Mas resmi gak?'));
    const answered = await waitForBotMessages(
      emulator,
      chatId,
      (messages) => messages.some((message) => /Ada lagi yang bisa saya bantu/.test(message.text)),
      30_000,
    );
    // The company named in the question was checked at once (no licence list is loaded here).
    expect(
      answered
        .slice(pressed.length)
        .map((message) => message.text)
        .join('\n'),
    ).toMatch(/belum dimuat/);
  }, 90_000);
});
