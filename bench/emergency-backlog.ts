/**
 * How long an emergency's hotline reply waits when the channel already has a backlog:
 * 5,000 ordinary replies queued for Telegram (the Bot API emulator on loopback, paced at
 * 30 messages a second), then someone writes in danger. The figure is from the person's
 * message reaching the emulator to the bot's reply arriving there.
 */
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import type { Nlu } from '../src/nlu/nlu.ts';
import { loadEngineContext } from '../src/app/load-engine-context.ts';
import { PelitaRuntime } from '../src/app/pelita-runtime.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { createLogger } from '../src/core/log/logger.ts';
import { freePort } from '../tests/harness/free-port.ts';
import { sleep } from './bench-rounds.ts';

const BACKLOG = 5000;
const TOKEN = '123456:BENCH';

export async function emergencyUnderBacklogMs(redisUrl: string, nlu: Nlu): Promise<number> {
  const emulator = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 600 });
  await emulator.start();
  const config = loadConfig({
    REDIS_URL: redisUrl,
    REDIS_PREFIX: 'bench-backlog',
    LOG_LEVEL: 'silent',
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: emulator.config.apiURL,
    TELEGRAM_RATE_PER_S: '30',
  });
  const runtime = await PelitaRuntime.start({
    config,
    log: createLogger({ level: 'silent', logMessages: false }),
    ctx: loadEngineContext(),
    role: 'all',
    http: false,
    nlu,
  });
  try {
    const outbound = runtime.outboundFor('telegram');
    for (let start = 0; start < BACKLOG; start += 500) {
      await Promise.all(
        Array.from({ length: 500 }, (_, i) => {
          const n = start + i;
          const inReplyTo = `backlog-${n}`;
          return outbound.enqueue(`telegram:${300_000 + n}`, {
            id: inReplyTo,
            payload: {
              conversationId: `telegram:${300_000 + n}`,
              inReplyTo,
              replies: [{ id: `${inReplyTo}:1`, inReplyTo, text: 'ordinary' }],
            },
          });
        }),
      );
    }
    // The backlog flowing at the channel's pace.
    while (emulator.storage.botMessages.length < 30) await sleep(20);
    const chatId = 9901;
    const client = emulator.getClient(TOKEN, { userId: chatId, chatId, firstName: 'Sri', userName: 'sri' });
    const started = performance.now();
    await client.sendMessage(
      client.makeMessage('tolong saya dikurung majikan di malaysia', {
        from: { id: chatId, is_bot: false, first_name: 'Sri', language_code: 'id' },
      }),
    );
    while (!emulator.storage.botMessages.some((update) => String(update.message.chat_id) === String(chatId))) {
      if (performance.now() - started > 300_000) throw new Error('the emergency reply never came');
      await sleep(5);
    }
    return Math.round(performance.now() - started);
  } finally {
    await runtime.stop(1000);
    await emulator.stop();
  }
}
