import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/config/content-paths.ts';
import type { Nlu } from '../src/nlu/nlu.ts';
import { pollReplies, postUntilAccepted } from './harness/http-load.ts';
import { sharedNlu, startTestPelita } from './harness/test-pelita.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});

/** The real NLU, except that it throws on one odd message: a bug that only that message meets. */
async function nluThatFailsOn(poison: string): Promise<Nlu> {
  const real = await sharedNlu();
  return new Proxy(real, {
    get(target, property, receiver) {
      if (property === 'analyse') {
        return (text: string, prior?: string) =>
          text.includes(poison) ? Promise.reject(new Error('the engine failed on this message')) : target.analyse(text, prior);
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}

describe('a message the engine fails on again and again', () => {
  it('is set aside: the person gets a safe answer with hotlines, their next message is answered, and nobody else waits', async () => {
    const poison = 'zzq-poison';
    const { runtime, baseUrl, lines } = await startTestPelita(redis, { QUEUE_LOCK_MS: '2000', DEAD_LETTER_ATTEMPTS: '5' }, 'all', {
      nlu: await nluThatFailsOn(poison),
    });
    try {
      await postUntilAccepted(baseUrl, { from: 'ani', id: 'ani-1', text: `tolong ${poison} saya di indramayu` });
      // Another person writing meanwhile is answered at once, while Ani's message is retried.
      await postUntilAccepted(baseUrl, { from: 'budi', id: 'budi-1', text: 'halo' });
      const budi = await pollReplies(baseUrl, 'budi', 1);
      expect(budi.length).toBeGreaterThan(0);
      expect(await runtime.inbound.deadLetters()).toEqual([]);

      // After five failures: the safe answer, with numbers, instead of silence.
      const safe = await pollReplies(baseUrl, 'ani', 1, 60_000);
      const said = safe.map((reply) => reply.text).join('\n');
      expect(said).toMatch(/technical problem|masalah teknis/);
      expect(said).toMatch(/110/);
      const letters = await runtime.inbound.deadLetters();
      expect(letters).toHaveLength(1);
      expect(letters[0]).toMatchObject({
        queue: 'inbound',
        conversationId: 'http:ani',
        attempts: 5,
        error: 'the engine failed on this message',
      });
      expect(letters[0]?.item.id).toBe('ani-1');

      // The next message is handled as usual.
      await postUntilAccepted(baseUrl, { from: 'ani', id: 'ani-2', text: 'halo' });
      const after = await pollReplies(baseUrl, 'ani', 2);
      expect(after.filter((reply) => reply.inReplyTo === 'ani-2').length).toBeGreaterThan(0);

      const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
      expect(metrics).toMatch(/^pelita_dead_letters_total\{queue="inbound"\} 1$/m);
      // The logs name the failure, never what the person wrote.
      expect(lines.join('\n')).toMatch(/dead letter/);
      expect(lines.join('\n')).not.toContain(poison);

      // For the operator: listed by id and error, without the text; then dropped.
      const cli = (args: string[]) =>
        spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'bin', 'pelita.mjs'), 'deadletters', ...args], {
          encoding: 'utf8',
          env: { PATH: process.env.PATH, REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix },
        });
      const listed = cli(['list', '--json']);
      expect(listed.status).toBe(0);
      expect(JSON.parse(listed.stdout)).toMatchObject({
        deadLetters: [{ id: 'http:ani/ani-1', attempts: 5, error: 'the engine failed on this message' }],
      });
      expect(listed.stdout).not.toContain(poison);
      expect(cli(['drop', 'http:ani/ani-1']).status).toBe(0);
      expect(await runtime.inbound.deadLetters()).toEqual([]);
      expect(cli(['drop', 'http:ani/ani-1']).status).toBe(1);
    } finally {
      await runtime.stop(2000);
    }
  }, 90_000);
});
