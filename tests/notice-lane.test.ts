import { describe, expect, it } from 'vitest';
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

const RATE_PER_S = 50;
const OPERATORS_CHAT = -100_777;

function ordinaryReply(n: number): OutboundBatch {
  const inReplyTo = `backlog-${n}`;
  return {
    conversationId: `telegram:${400_000 + n}`,
    inReplyTo,
    replies: [{ id: `${inReplyTo}:1`, inReplyTo, text: `Ordinary reply ${n}` }],
  };
}

/**
 * A Pelita with an operators' group, `backlog` ordinary replies waiting on Telegram, then
 * someone in danger: returns the bot's sendMessage calls in the order they reached the
 * emulator, once the case's notice to the operators is among them.
 */
async function noticeUnderBacklog(prefix: string, backlog: number, env: Record<string, string>): Promise<RecordedCall[]> {
  const calls: RecordedCall[] = [];
  const { runtime } = await startTestPelita(
    bed.redis,
    {
      REDIS_PREFIX: prefix,
      TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
      TELEGRAM_API_ROOT: bed.emulator.config.apiURL,
      TELEGRAM_RATE_PER_S: String(RATE_PER_S),
      TELEGRAM_CHAT_RATE_PER_S: '100',
      OPERATORS_TELEGRAM_CHAT_ID: String(OPERATORS_CHAT),
      ...env,
    },
    'all',
    { configureTelegramApi: recordingTransformer(calls) },
  );
  try {
    const outbound = runtime.outboundFor('telegram');
    await Promise.all(
      Array.from({ length: backlog }, (_, n) =>
        outbound.enqueue(ordinaryReply(n).conversationId, { id: `backlog-${n}`, payload: ordinaryReply(n) }),
      ),
    );
    const sent = () => calls.filter((call) => call.method === 'sendMessage');
    await expect.poll(() => sent().length, { timeout: 10_000 }).toBeGreaterThanOrEqual(10);
    const chatId = 9201;
    const client = bed.emulator.getClient(TEST_BOT_TOKEN, { userId: chatId, chatId, firstName: 'Wati', userName: 'wati' });
    await client.sendMessage(
      client.makeMessage('tolong saya dikurung majikan di malaysia', {
        from: { id: chatId, is_bot: false, first_name: 'Wati', language_code: 'id' },
      }),
    );
    await waitForBotMessages(bed.emulator, chatId, (messages) => messages.some((message) => /\+60/.test(message.text)), 20_000);
    await expect
      .poll(() => sent().some((call) => String(call.payload.chat_id) === String(OPERATORS_CHAT)), { timeout: 60_000, interval: 50 })
      .toBe(true);
    return sent();
  } finally {
    // What is left of the backlog stays in Redis under this prefix: the test is about order.
    await runtime.stop(1000);
  }
}

const isBacklog = (call: RecordedCall) => String(call.payload.chat_id).startsWith('4');
const isNotice = (call: RecordedCall) => String(call.payload.chat_id) === String(OPERATORS_CHAT);
const isEmergencyReply = (call: RecordedCall) => String(call.payload.chat_id) === '9201';

describe("notices to case workers: after people's replies, but never stuck behind them", () => {
  it('lets the replies waiting on the channel go before the notice of a new case', async () => {
    // The notice may wait as long as it takes here (the next test bounds its wait), so the
    // order does not depend on how fast this machine sends.
    const calls = await noticeUnderBacklog(`${bed.redis.prefix}-order`, 150, { OPERATOR_NOTICE_MAX_WAIT_S: '600' });
    const noticeAt = calls.findIndex(isNotice);
    // The person in danger first, then the ordinary replies, then the notice. A reply still
    // being prepared when the channel has a free slot (at most one per drainer) may follow
    // it; sent straight away, as before, the notice went out ten replies in.
    expect(calls.findIndex(isEmergencyReply)).toBeLessThan(noticeAt);
    expect(calls.slice(0, noticeAt).filter(isBacklog).length).toBeGreaterThanOrEqual(150 - 16);
    expect(calls[noticeAt]?.payload.text).toMatch(/emergency/);
  }, 90_000);

  it('sends the notice once it has waited its longest, with most of a long backlog still waiting', async () => {
    // 1,000 ordinary replies are 20 s at this pace; the notice waits at most 1 s for them.
    const calls = await noticeUnderBacklog(`${bed.redis.prefix}-aging`, 1000, { OPERATOR_NOTICE_MAX_WAIT_S: '1' });
    const noticeAt = calls.findIndex(isNotice);
    expect(calls.slice(0, noticeAt).filter(isBacklog).length).toBeLessThan(1000 / 2);
  }, 90_000);
});
