import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PelitaRuntime } from '../src/app/pelita-runtime.ts';
import { ConsoleChannel } from '../src/channels/console/console-channel.ts';
import type { LoggedReply } from '../src/channels/reply-log/reply-log.ts';
import { loadTranscripts } from './harness/transcripts.ts';
import { startTestPelita } from './harness/test-pelita.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

/**
 * Conversation transcripts through the whole pipeline: console channel -> gateway ->
 * inbound queue -> engine worker -> outbound queue -> reply log, on a real Redis.
 */
let redis: TestRedis;
let runtime: PelitaRuntime;

beforeAll(async () => {
  redis = await startTestRedis();
  ({ runtime } = await startTestPelita(redis, {}, 'all'));
});

afterAll(async () => {
  await runtime?.stop();
  await redis?.stop();
});

const transcripts = loadTranscripts();

describe('conversation transcripts', () => {
  for (const conversation of transcripts) {
    it(`${conversation.file} #${conversation.index + 1} (${conversation.language})`, async () => {
      const user = `transcript-${conversation.file}-${conversation.index}`;
      const channel = new ConsoleChannel(runtime.gateway, runtime.replyLog, user, conversation.lang, 15_000);
      await channel.open();
      for (const [number, turn] of conversation.turns.entries()) {
        const replies: LoggedReply[] = [];
        await channel.send(turn.location ? { location: turn.location } : (turn.user ?? ''), (reply) => replies.push(reply));
        const said = replies.map((reply) => reply.text).join('\n');
        const where = `turn ${number + 1} ("${turn.user ?? 'a location'}") answered:\n${said}`;
        for (const fragment of turn.bot) expect(said.toLowerCase(), where).toContain(fragment.toLowerCase());
        if (turn.choices) {
          const menu = replies.filter((reply) => reply.choices.length > 0).at(-1);
          expect(menu?.choices.map((choice) => choice.id), where).toEqual(turn.choices);
        }
        if (turn.escalation) {
          // The reply goes out first (nothing fallible before the hotlines), the request for a
          // person right after it, in the same turn: wait for it briefly.
          await vi.waitFor(
            async () => {
              const requests = await runtime.escalations.forConversation(channel.conversationId);
              expect(requests.map((request) => request.reason), where).toContain(turn.escalation);
            },
            { timeout: 5000, interval: 20 },
          );
        }
      }
    });
  }
});
