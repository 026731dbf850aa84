import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PelitaRuntime } from '../src/app/pelita-runtime.ts';
import { caseFromRequest } from '../src/cases/case-request.ts';
import { inParallel, postUntilAccepted } from './harness/http-load.ts';
import { startTestPelita } from './harness/test-pelita.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

let redis: TestRedis;
let runtime: PelitaRuntime;
let baseUrl: string;
let inspect: Redis;

beforeAll(async () => {
  redis = await startTestRedis();
  ({ runtime, baseUrl } = await startTestPelita(redis));
  inspect = new Redis(redis.url);
});

afterAll(async () => {
  await inspect?.quit();
  await runtime?.stop();
  await redis?.stop();
});

const TRIALS = 100;
const EMERGENCY = 'tolong saya dikurung majikan di malaysia';

/** Waits until every message of the conversation has been handled (its inbox is empty and unlocked). */
async function handled(from: string): Promise<void> {
  const conversationId = `http:${from}`;
  await vi.waitFor(
    async () => {
      const waiting = await inspect.llen(`${redis.prefix}:q:inbound:{${conversationId}}:items`);
      expect(waiting).toBe(0);
    },
    { timeout: 60_000, interval: 25 },
  );
}

describe('a case is opened in the same step as the turn that asked for it', () => {
  it('opens exactly one case for two emergencies sent at once, every time', async () => {
    const trials = Array.from({ length: TRIALS }, (_, index) => `twice-${index}`);
    await inParallel(trials, 20, async (from) => {
      await Promise.all([
        postUntilAccepted(baseUrl, { from, id: `${from}-a`, text: EMERGENCY }),
        postUntilAccepted(baseUrl, { from, id: `${from}-b`, text: 'TOLONG saya dipukul majikan' }),
      ]);
    });
    const problems: string[] = [];
    await inParallel(trials, 20, async (from) => {
      await handled(from);
      const cases = await runtime.cases.store.forConversation(`http:${from}`);
      if (cases.length !== 1) {
        problems.push(`${from}: ${cases.length} cases`);
        return;
      }
      // The second emergency is noted on the case the first one opened.
      const events = (await runtime.cases.store.auditTrail(cases[0]!.id)).map((entry) => entry.event);
      if (JSON.stringify(events) !== JSON.stringify(['opened', 'asked_again'])) problems.push(`${from}: audit ${events.join(',')}`);
    });
    expect(problems).toEqual([]);
  }, 180_000);

  it('anonymises the case every time "delete my data" follows an emergency at once', async () => {
    const trials = Array.from({ length: TRIALS }, (_, index) => `erase-${index}`);
    await inParallel(trials, 20, async (from) => {
      // Sent one after the other without waiting for a reply, as a frightened person types.
      await postUntilAccepted(baseUrl, { from, id: `${from}-1`, text: EMERGENCY });
      await postUntilAccepted(baseUrl, { from, id: `${from}-2`, text: 'hapus data saya' });
      await postUntilAccepted(baseUrl, { from, id: `${from}-3`, text: 'ya' });
    });
    const problems: string[] = [];
    await inParallel(trials, 20, async (from) => {
      const conversationId = `http:${from}`;
      await handled(from);
      const caseId = caseFromRequest({ conversationId, messageId: `${from}-1`, reason: 'emergency', language: 'id', requestedAt: '' }).id;
      const kept = await runtime.cases.store.get(caseId);
      if (!kept) {
        problems.push(`${from}: no case`);
        return;
      }
      if (!kept.conversationId.startsWith('deleted:') || kept.situation || kept.country)
        problems.push(`${from}: case ${caseId} still says who or where`);
      // Apart from the confirmation's reply log, no key names the person any more.
      const left = (await inspect.keys(`${redis.prefix}:*{${conversationId}}*`)).filter(
        (key) => !key.includes(':replies:') && !key.includes(':seen:'),
      );
      if (left.length > 0) problems.push(`${from}: keys left ${left.join(', ')}`);
    });
    expect(problems).toEqual([]);
  }, 180_000);
});
