import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PelitaRuntime } from '../src/app/pelita-runtime.ts';
import { pollReplies } from './harness/http-load.ts';
import { startTestPelita } from './harness/test-pelita.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const post = (baseUrl: string, body: object, authorization?: string) =>
  fetch(`${baseUrl}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(body),
  }).then(async (response) => {
    await response.body?.cancel();
    return response.status;
  });

describe('limits per sender and on new conversations', () => {
  let runtime: PelitaRuntime;
  let baseUrl: string;
  beforeAll(async () => {
    ({ runtime, baseUrl } = await startTestPelita(redis, {
      REDIS_PREFIX: `${redis.prefix}-senders`,
      SENDER_MESSAGES_PER_MIN: '10',
      NEW_CONVERSATIONS_PER_MIN: '5',
      HTTP_REFUSAL_DELAY_MS: '200',
    }));
  });
  afterAll(async () => {
    await runtime?.stop(2000);
  });

  it('tells a flooding sender once to slow down, drops the rest, and still answers their emergency', async () => {
    const statuses: number[] = [];
    const heldMs: number[] = [];
    for (let n = 0; n < 30; n++) {
      const started = performance.now();
      statuses.push(await post(baseUrl, { from: 'flooder', id: `f${n}`, text: `halo ${n}` }));
      heldMs.push(performance.now() - started);
    }
    // Ten handled, the eleventh answered with "slow down", the rest refused.
    expect(statuses.slice(0, 11).every((status) => status === 202)).toBe(true);
    expect(statuses.slice(11).every((status) => status === 429)).toBe(true);
    // Each refusal is held back at least half the configured delay, so a flooder's
    // connection fires a few times a second, not hundreds.
    expect(Math.min(...heldMs.slice(11))).toBeGreaterThanOrEqual(100);
    expect(await post(baseUrl, { from: 'flooder', id: 'danger', text: 'tolong saya dikurung majikan di malaysia' })).toBe(202);

    const replies = await pollReplies(baseUrl, 'flooder', 12);
    const notices = replies.filter((reply) => /banyak pesan dalam waktu singkat|many messages in a short time/.test(reply.text));
    expect(notices).toHaveLength(1);
    expect(notices[0]?.inReplyTo).toBe('f10');
    expect(notices[0]?.text).toMatch(/\d{3}/);
    expect(
      replies
        .filter((reply) => reply.inReplyTo === 'danger')
        .map((reply) => reply.text)
        .join('\n'),
    ).toMatch(/KBRI Kuala Lumpur/);

    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^pelita_messages_limited_total\{channel="http"\} 19$/m);
  }, 60_000);

  it('caps new conversations a minute, but never a new one in danger', async () => {
    // One conversation was started by the test above; four more fit under the cap of five.
    const statuses: number[] = [];
    for (let n = 0; n < 8; n++) statuses.push(await post(baseUrl, { from: `new-${n}`, id: 'n1', text: 'halo' }));
    expect(statuses).toEqual([202, 202, 202, 202, 429, 429, 429, 429]);
    expect(await post(baseUrl, { from: 'new-in-danger', id: 'n1', text: 'tolong saya dipukul majikan' })).toBe(202);
  });
});

describe('refusals held back', () => {
  it('are all answered at once when Pelita stops, not held until their delay ends', async () => {
    const { runtime, baseUrl } = await startTestPelita(redis, {
      REDIS_PREFIX: `${redis.prefix}-held`,
      SENDER_MESSAGES_PER_MIN: '1',
      HTTP_REFUSAL_DELAY_MS: '30000',
    });
    expect(await post(baseUrl, { from: 'held', id: 'm1', text: 'halo' })).toBe(202);
    expect(await post(baseUrl, { from: 'held', id: 'm2', text: 'halo lagi' })).toBe(202);
    let answered: number | undefined;
    const refused = post(baseUrl, { from: 'held', id: 'm3', text: 'halo lagi lagi' }).then((status) => (answered = status));
    // Held: no answer yet after a second (the delay is 15 to 45 s).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(answered).toBeUndefined();
    await runtime.stop(2000);
    // Stopping released it: answered, and refused, without waiting out the delay.
    expect(await refused).toBe(429);
  }, 20_000);
});

describe('limits per address on the HTTP channel', () => {
  let runtime: PelitaRuntime;
  let baseUrl: string;
  let port: number;
  const partner = 'partner-token-for-limits-0123456789';
  beforeAll(async () => {
    ({ runtime, baseUrl } = await startTestPelita(
      redis,
      {
        REDIS_PREFIX: `${redis.prefix}-addresses`,
        HTTP_CHANNEL_TOKENS: `sms:${partner}`,
        HTTP_REQUESTS_PER_MIN_PER_IP: '20',
        HTTP_CONNECTIONS_PER_IP: '50',
      },
      'gateway',
    ));
    port = runtime.port!;
  });
  afterAll(async () => {
    await runtime?.stop(2000);
  });

  it('refuses an address past its requests a minute, but not a partner, nor health checks', async () => {
    const anonymous: number[] = [];
    for (let n = 0; n < 30; n++) anonymous.push(await post(baseUrl, { id: `a${n}`, text: 'halo' }));
    expect(anonymous.slice(0, 20).every((status) => status === 202)).toBe(true);
    expect(anonymous.slice(20).every((status) => status === 429)).toBe(true);
    expect(await post(baseUrl, { from: 'via-partner', id: 'p1', text: 'halo' }, `Bearer ${partner}`)).toBe(202);
    expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);
  });

  it('survives 20,000 slow connections: past the per-address limit closed at once, the rest cut, /healthz answering throughout', async () => {
    /** A client that sends half a request and then nothing. */
    const slowClient = () =>
      new Promise<net.Socket>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          socket.write('POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n');
          resolve(socket);
        });
        // Read whatever comes (a 408), so that the server's close is seen.
        socket.resume();
        socket.on('error', () => resolve(socket));
      });
    /** /healthz from another address on this machine. */
    const health = () =>
      new Promise<number>((resolve, reject) => {
        const request = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.2' }, () =>
          request.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
        );
        let answer = '';
        request.on('data', (chunk: Buffer) => (answer += chunk.toString()));
        request.on('end', () => resolve(Number(answer.split(' ')[1])));
        request.on('error', reject);
      });
    const isClosed = (socket: net.Socket) => socket.destroyed || socket.readableEnded;
    const held: net.Socket[] = [];
    const healthChecks: number[] = [];
    // In rounds of 1,000 (this process has as few descriptors as the server): each round's
    // clients past the 50 allowed are closed by the server at once.
    for (let round = 0; round < 20; round++) {
      const sockets = await Promise.all(Array.from({ length: 1000 }, slowClient));
      await expect.poll(() => sockets.filter(isClosed).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1000 - 50);
      held.push(...sockets.filter((socket) => !isClosed(socket)));
      for (const socket of sockets) if (isClosed(socket)) socket.destroy();
      healthChecks.push(await health());
    }
    expect(healthChecks).toEqual(Array.from({ length: 20 }, () => 200));
    // Those that got in never finish their headers: cut within the 5 s allowed for them.
    await expect.poll(() => held.filter(isClosed).length, { timeout: 10_000 }).toBe(held.length);
    for (const socket of held) socket.destroy();
  }, 120_000);
});
