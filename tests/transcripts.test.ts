import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PelitaRuntime } from '../src/app/pelita-runtime.ts';
import { loadEngineContext } from '../src/app/load-engine-context.ts';
import { ConsoleChannel } from '../src/channels/console/console-channel.ts';
import type { LoggedReply } from '../src/pipeline/reply-log/reply-log.ts';
import { loadTranscripts } from './harness/transcripts.ts';
import { startTestPelita } from './harness/test-pelita.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

/**
 * Conversation transcripts through the whole pipeline: console channel -> gateway ->
 * inbound queue -> engine worker -> outbound queue -> reply log, on a real Redis.
 */
let redis: TestRedis;
let automatic: PelitaRuntime;
/** A second Pelita, apart under its own key prefix, where case workers answer on the admin API. */
let staffed: PelitaRuntime;

beforeAll(async () => {
  redis = await startTestRedis();
  ({ runtime: automatic } = await startTestPelita(redis, {}, 'all'));
  ({ runtime: staffed } = await startTestPelita(
    redis,
    { REDIS_PREFIX: `${redis.prefix}-staffed`, ADMIN_TOKEN: 'transcripts-admin', CASE_WORKERS_USE_ADMIN_API: '1' },
    'all',
  ));
});

afterAll(async () => {
  await automatic?.stop();
  await staffed?.stop();
  await redis?.stop();
});

const transcripts = loadTranscripts();
const { translator } = loadEngineContext();
/** The sentences that promise a case worker's answer, in every language. */
const humanPromises = ['emergency.next_steps_human', 'talk_to_person.info'].flatMap((key) =>
  translator.languages.map((language) => translator.t(key, language)),
);

describe('conversation transcripts', () => {
  for (const conversation of transcripts) {
    it(`${conversation.file} #${conversation.index + 1} (${conversation.language})`, async () => {
      const runtime = conversation.case_workers ? staffed : automatic;
      const user = `transcript-${conversation.file}-${conversation.index}`;
      const channel = new ConsoleChannel(runtime.gateway, runtime.replyLog, user, conversation.lang, 15_000);
      await channel.open();
      for (const [number, turn] of conversation.turns.entries()) {
        const replies: LoggedReply[] = [];
        await channel.send(turn.location ? { location: turn.location } : (turn.user ?? ''), (reply) => replies.push(reply));
        const said = replies.map((reply) => reply.text).join('\n');
        const where = `turn ${number + 1} ("${turn.user ?? 'a location'}") answered:\n${said}`;
        for (const fragment of turn.bot) expect(said.toLowerCase(), where).toContain(fragment.toLowerCase());
        for (const fragment of turn.not ?? []) expect(said.toLowerCase(), where).not.toContain(fragment.toLowerCase());
        // Where nobody answers cases, no reply may promise that someone will.
        if (!conversation.case_workers) {
          for (const promise of humanPromises) expect(said, where).not.toContain(promise);
        }
        if (turn.choices) {
          const menu = replies.filter((reply) => reply.choices.length > 0).at(-1);
          expect(
            menu?.choices.map((choice) => choice.id),
            where,
          ).toEqual(turn.choices);
        }
        if (turn.escalation) {
          // The reply goes out first (nothing fallible before the hotlines), the case with the
          // turn's commit right after it: wait for it briefly. A request on an open case is
          // noted in its audit trail.
          await vi.waitFor(
            async () => {
              const cases = await runtime.cases.store.forConversation(channel.conversationId);
              const trails = await Promise.all(cases.map((found) => runtime.cases.store.auditTrail(found.id)));
              const reasons = trails
                .flat()
                .filter((entry) => entry.event === 'opened' || entry.event === 'asked_again')
                .map((entry) => entry.detail);
              expect(reasons, where).toContain(turn.escalation);
            },
            { timeout: 5000, interval: 20 },
          );
        }
        if (turn.cases !== undefined || turn.case_situation) {
          // Cases are stored with the turn, a moment after its reply: wait for them.
          await vi.waitFor(
            async () => {
              const cases = await runtime.cases.store.forConversation(channel.conversationId);
              if (turn.cases !== undefined) expect(cases.length, where).toBe(turn.cases);
              if (turn.case_situation) expect(cases.at(-1)?.situation, where).toMatchObject(turn.case_situation);
            },
            { timeout: 5000, interval: 20 },
          );
        }
      }
    });
  }
});
