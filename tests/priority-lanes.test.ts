import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PelitaRuntime } from '../src/app/pelita-runtime.ts';
import type { OutboundBatch } from '../src/core/messages/reply.ts';
import { startTestPelita } from './harness/test-pelita.ts';
import {
  recordingTransformer,
  TEST_BOT_TOKEN,
  useTelegramTestbed,
  waitForBotMessages,
  type RecordedCall,
} from './harness/telegram-emulator.ts';

const bed = useTelegramTestbed();

/** Ordinary replies already waiting on the channel when someone writes in danger. */
const BACKLOG = 5000;
const RATE_PER_S = 30;

function ordinaryReply(n: number): OutboundBatch {
  const inReplyTo = `backlog-${n}`;
  return {
    conversationId: `telegram:${200_000 + n}`,
    inReplyTo,
    replies: [{ id: `${inReplyTo}:1`, inReplyTo, text: `Ordinary reply ${n}` }],
  };
}

describe('an emergency under a backlog of ordinary replies (grammY against the Bot API emulator)', () => {
  let runtime: PelitaRuntime;
  const calls: RecordedCall[] = [];

  beforeAll(async () => {
    ({ runtime } = await startTestPelita(
      bed.redis,
      {
        TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
        TELEGRAM_API_ROOT: bed.emulator.config.apiURL,
        TELEGRAM_RATE_PER_S: String(RATE_PER_S),
        TELEGRAM_CHAT_RATE_PER_S: '100',
      },
      'all',
      { configureTelegramApi: recordingTransformer(calls) },
    ));
  });
  afterAll(async () => {
    // The backlog is left in Redis: this test is about what goes out first, not the rest.
    await runtime?.stop(1000);
  });

  it('sends the hotline reply next, ahead of 5,000 waiting replies, within the channel rate', async () => {
    const outbound = runtime.outboundFor('telegram');
    for (let start = 0; start < BACKLOG; start += 500) {
      await Promise.all(
        Array.from({ length: 500 }, (_, i) =>
          outbound.enqueue(ordinaryReply(start + i).conversationId, { id: `backlog-${start + i}`, payload: ordinaryReply(start + i) }),
        ),
      );
    }
    const sent = () => calls.filter((call) => call.method === 'sendMessage');
    // The backlog is flowing at the channel's pace.
    await expect.poll(() => sent().length, { timeout: 10_000 }).toBeGreaterThanOrEqual(20);

    const chatId = 9101;
    const client = bed.emulator.getClient(TEST_BOT_TOKEN, { userId: chatId, chatId, firstName: 'Sri', userName: 'sri' });
    const sentBefore = sent().length;
    await client.sendMessage(
      client.makeMessage('tolong saya dikurung majikan di malaysia', {
        from: { id: chatId, is_bot: false, first_name: 'Sri', language_code: 'id' },
      }),
    );
    const replies = await waitForBotMessages(
      bed.emulator,
      chatId,
      (messages) => messages.some((message) => /\+60/.test(message.text)),
      20_000,
    );

    const all = sent();
    const emergencyAt = all.findIndex((call) => String(call.payload.chat_id) === String(chatId));
    // Overtaken: of the backlog, only what was already booked or in flight when the
    // emergency came went before it (a slot per drainer at most), and most still waits.
    // How long it took is measured by `npm run bench` (emergency_under_backlog_ms), not here.
    expect(emergencyAt).toBeGreaterThanOrEqual(0);
    expect(emergencyAt - sentBefore).toBeLessThanOrEqual(20);
    expect(all.filter((call) => String(call.payload.chat_id).startsWith('2')).length).toBeLessThan(BACKLOG / 2);
    expect(replies.map((message) => message.text).join('\n')).toMatch(/KBRI Kuala Lumpur/);
  }, 90_000);
});
