import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answeredOnceInOrder } from './harness/http-load.ts';
import { spawnPelita, type PelitaProcess } from './harness/pelita-process.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

const CONVERSATIONS = 50;
const ACCEPTED_BEFORE_SIGNAL = 300;

/**
 * SIGTERM to a busy `pelita start`: long polls are answered at once, the process exits by
 * itself (code 0: it did not need the forced exit that comes after 8 s), and what it had
 * accepted but not answered is answered by the next process, once each and in order.
 */
describe('SIGTERM under load', () => {
  let redis: TestRedis;
  const processes: PelitaProcess[] = [];

  beforeAll(async () => {
    redis = await startTestRedis();
  });

  afterAll(async () => {
    for (const running of processes) if (running.child.exitCode === null) running.child.kill('SIGKILL');
    await redis?.stop();
  });

  it('stops by itself, answers long polls, and hands unfinished work to the next process', async () => {
    const env = { REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix };
    const first = await spawnPelita('all', env);
    processes.push(first);
    const baseUrl = `http://127.0.0.1:${first.port}`;
    let exited = false;
    void first.exited.then(() => (exited = true));

    const sent = new Map<string, string[]>();
    let accepted = 0;
    // Each person writes one message after another until the process stops taking them.
    const writers = Array.from({ length: CONVERSATIONS }, async (_, conversation) => {
      const from = `stop-${conversation}`;
      const ids: string[] = [];
      sent.set(from, ids);
      for (let n = 0; !exited; n++) {
        const id = `${from}-${n}`;
        const response = await fetch(`${baseUrl}/v1/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ from, id, text: n % 2 === 0 ? 'halo' : 'apa syarat kerja ke malaysia?' }),
        }).catch(() => undefined);
        await response?.body?.cancel();
        if (response?.status !== 202) return;
        ids.push(id);
        accepted += 1;
      }
    });
    const polls = Array.from({ length: 10 }, (_, n) =>
      fetch(`${baseUrl}/v1/conversations/quiet-${n}/replies?after=0&wait=30000`).then(
        async (response) => ({ status: response.status, exitedFirst: exited, body: (await response.json()) as { replies: unknown[] } }),
        () => undefined,
      ),
    );
    while (accepted < ACCEPTED_BEFORE_SIGNAL) await new Promise((resolve) => setTimeout(resolve, 5));
    first.child.kill('SIGTERM');
    expect(await first.exited, first.output()).toBe(0);
    await Promise.all(writers);

    // Each long poll got its (empty) answer from the stopping process, not a cut connection.
    for (const poll of await Promise.all(polls)) {
      expect(poll).toMatchObject({ status: 200, exitedFirst: false, body: { replies: [] } });
    }

    const next = await spawnPelita('all', env);
    processes.push(next);
    expect(await answeredOnceInOrder(`http://127.0.0.1:${next.port}`, sent)).toEqual([]);
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  }, 180_000);
});
