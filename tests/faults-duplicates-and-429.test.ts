import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPelita } from './harness/test-pelita.ts';
import { inParallel, orderProblems, pollReplies, postUntilAccepted } from './harness/http-load.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

const SCRIPT = ['halo', '1', '1', '1', 'menu', '3', '4', '2', 'menu', '2'];

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});

/** Issue 6, fault (c): every message delivered three times at once, and again later. */
describe('duplicate deliveries', () => {
  it('are answered once', async () => {
    const { runtime, baseUrl } = await startTestPelita(redis);
    try {
      const conversations = Array.from({ length: 50 }, (_, n) => `dup-${n}`);
      const sent = new Map<string, string[]>();
      await inParallel(conversations, 50, async (from) => {
        const ids: string[] = [];
        sent.set(from, ids);
        for (const [index, text] of SCRIPT.entries()) {
          const id = `${from}-m${index}`;
          await Promise.all([1, 2, 3].map(() => postUntilAccepted(baseUrl, { from, id, text })));
          ids.push(id);
        }
      });
      const problems: string[] = [];
      await inParallel(conversations, 25, async (from) => {
        problems.push(...orderProblems(from, sent.get(from)!, await pollReplies(baseUrl, from, SCRIPT.length)));
      });
      expect(problems).toEqual([]);

      // A platform redelivering much later: recognised as a duplicate, nothing answered again.
      const late = await fetch(`${baseUrl}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: 'dup-0', id: 'dup-0-m0', text: 'halo' }),
      });
      expect(await late.json()).toEqual({ accepted: true, duplicate: true });
      await postUntilAccepted(baseUrl, { from: 'dup-0', id: 'dup-0-last', text: 'menu' });
      const replies = await pollReplies(baseUrl, 'dup-0', SCRIPT.length + 1);
      expect(orderProblems('dup-0', [...sent.get('dup-0')!, 'dup-0-last'], replies)).toEqual([]);

      // /metrics counts what came in once, and what was dropped as a redelivery.
      const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
      expect(metrics).toMatch(/^pelita_messages_in_total\{channel="http"\} 501$/m);
      expect(metrics).toMatch(/^pelita_messages_duplicate_total\{channel="http"\} 1001$/m);
      expect(metrics).toMatch(/^pelita_reply_latency_seconds_count\{channel="http"\} 501$/m);
      expect(metrics).toMatch(/^pelita_queue_failures_total\{queue="inbound"\} 0$/m);
      // A redelivery that found its message still waiting woke the conversation again (in
      // case the first wake-up was lost); those extra wake-ups are looked at and dropped.
      await expect
        .poll(async () => (await (await fetch(`${baseUrl}/metrics`)).text()).match(/^pelita_queue_ready\{queue="inbound"\} (\d+)$/m)?.[1])
        .toBe('0');
    } finally {
      await runtime.stop(2000);
    }
  }, 120_000);
});

/** Issue 6, fault (d): the platform answers 429 with Retry-After; nothing is dropped and the pause holds. */
describe('a platform that answers 429', () => {
  let platform: Server;
  const accepted: { id: string; at: number }[] = [];
  const refused: { id: string; at: number }[] = [];
  const arrivals: number[] = [];
  let requests = 0;

  beforeAll(async () => {
    platform = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const now = Date.now();
        arrivals.push(now);
        requests += 1;
        const { id } = JSON.parse(body) as { id: string };
        // The 5th and the 30th request are refused: "wait 1 second".
        if (requests === 5 || requests === 30) {
          refused.push({ id, at: now });
          response.writeHead(429, { 'retry-after': '1' }).end();
          return;
        }
        accepted.push({ id, at: now });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => platform.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => platform?.close(resolve));
  });

  it('pauses the channel for Retry-After and delivers everything once', async () => {
    const address = platform.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const { runtime, baseUrl } = await startTestPelita(redis, { HTTP_CALLBACK_URL: `http://127.0.0.1:${port}/replies` });
    try {
      const conversations = Array.from({ length: 10 }, (_, n) => `slow-${n}`);
      const expected: string[] = [];
      await inParallel(conversations, 10, async (from) => {
        for (const [index, text] of SCRIPT.slice(0, 5).entries()) await postUntilAccepted(baseUrl, { from, id: `${from}-m${index}`, text });
      });
      for (const from of conversations) expected.push(...(await pollReplies(baseUrl, from, 5)).map((reply) => reply.id));
      const deadline = Date.now() + 30_000;
      while (new Set(accepted.map((entry) => entry.id)).size < expected.length && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));

      expect(refused).toHaveLength(2);
      // Nothing dropped, nothing delivered twice.
      expect(accepted.map((entry) => entry.id).sort()).toEqual([...expected].sort());
      for (const { id, at } of refused) {
        // The refused reply came again no sooner than Retry-After...
        const again = accepted.find((entry) => entry.id === id);
        expect(again, id).toBeDefined();
        expect(again!.at - at).toBeGreaterThanOrEqual(950);
        // ...and the whole channel paused: only requests already on the wire arrived meanwhile.
        expect(arrivals.filter((time) => time > at + 200 && time < at + 950)).toEqual([]);
      }
      const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
      expect(metrics).toMatch(/pelita_rate_limited_total\{channel="http"\} 2/);
    } finally {
      await runtime.stop(2000);
    }
  }, 120_000);
});
