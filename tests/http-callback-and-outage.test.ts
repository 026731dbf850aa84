import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPelita } from './harness/test-pelita.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => resolve(body));
  });
}

describe('HTTP_CALLBACK_URL', () => {
  let redis: TestRedis;
  let sink: Server;
  const received: { authorization: string | undefined; body: Record<string, unknown> }[] = [];
  let refuseFirst = true;

  beforeAll(async () => {
    redis = await startTestRedis();
    // A partner system that fails its first request, then works.
    sink = createServer(async (request, response) => {
      const body = await readBody(request);
      if (refuseFirst) {
        refuseFirst = false;
        response.writeHead(500).end();
        return;
      }
      received.push({ authorization: request.headers.authorization, body: JSON.parse(body) as Record<string, unknown> });
      response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => sink?.close(resolve));
    await redis?.stop();
  });

  it('POSTs every reply to the callback, retrying a failed delivery', async () => {
    const address = sink.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const { runtime, baseUrl } = await startTestPelita(redis, {
      HTTP_CALLBACK_URL: `http://127.0.0.1:${port}/replies`,
      HTTP_CHANNEL_TOKEN: 'partner-secret',
    });
    try {
      const send = (id: string, text: string) =>
        fetch(`${baseUrl}/v1/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer partner-secret' },
          body: JSON.stringify({ from: 'sms-6281', id, text }),
        });
      expect((await send('s1', 'halo')).status).toBe(202);
      expect((await send('s2', '2')).status).toBe(202);
      // s1 has one reply, s2 three (welcome, privacy note, menu): four callbacks, the refused one retried.
      await until(() => received.length >= 4);
      const ids = received.map((entry) => entry.body.id).sort();
      expect(ids).toEqual(['s1:1', 's2:1', 's2:2', 's2:3']);
      expect(received.every((entry) => entry.body.to === 'sms-6281')).toBe(true);
      expect(received.every((entry) => entry.authorization === 'Bearer partner-secret')).toBe(true);
      expect(received.find((entry) => entry.body.id === 's2:3')?.body).toMatchObject({ inReplyTo: 's2', text: 'How can I help?' });
    } finally {
      await runtime.stop();
    }
  });
});

describe('when Redis goes away', () => {
  it('answers 503 to new messages and on /readyz, never 202 for a message it could not queue', async () => {
    const redis = await startTestRedis({ private: true });
    const { runtime, baseUrl } = await startTestPelita(redis, {}, 'gateway');
    try {
      expect((await fetch(`${baseUrl}/readyz`)).status).toBe(200);
      await redis.stop();
      const response = await fetch(`${baseUrl}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: 'x', id: '1', text: 'tolong' }),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect((await fetch(`${baseUrl}/readyz`)).status).toBe(503);
      expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);
    } finally {
      await runtime.stop(2000);
      await redis.stop();
    }
  });
});
