import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PelitaRuntime } from '../src/app/pelita-runtime.ts';
import { startTestPelita } from './harness/test-pelita.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

interface ReplyBody {
  id: string;
  inReplyTo: string;
  text: string;
  choices: { id: string; label: string }[];
}

let redis: TestRedis;
let runtime: PelitaRuntime;
let baseUrl: string;

beforeAll(async () => {
  redis = await startTestRedis();
  ({ runtime, baseUrl } = await startTestPelita(redis));
});

afterAll(async () => {
  await runtime?.stop();
  await redis?.stop();
});

function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${baseUrl}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Long-polls until `turns` turns are answered (a turn = replies sharing one inReplyTo). */
async function collectReplies(from: string, turns: number, timeoutMs = 20_000): Promise<ReplyBody[]> {
  const replies: ReplyBody[] = [];
  let cursor = '0';
  const deadline = Date.now() + timeoutMs;
  while (new Set(replies.map((reply) => reply.inReplyTo)).size < turns && Date.now() < deadline) {
    const response = await fetch(`${baseUrl}/v1/conversations/${encodeURIComponent(from)}/replies?after=${cursor}&wait=2000`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { replies: ReplyBody[]; cursor: string };
    replies.push(...body.replies);
    cursor = body.cursor;
  }
  return replies;
}

describe('HTTP channel', () => {
  it('answers 200 messages from 20 conversations, each conversation in order', async () => {
    // Language, then back and forth between the menu and a topic: every step answers.
    const script = ['halo', '1', '1', '1', 'menu', '3', '4', '2', 'menu', '2'];
    const conversations = Array.from({ length: 20 }, (_, n) => `order-${n}`);
    await Promise.all(
      conversations.map(async (from) => {
        for (const [index, text] of script.entries()) {
          const response = await post({ from, id: `${from}-m${index}`, text });
          expect(response.status).toBe(202);
          expect(await response.json()).toEqual({ accepted: true, duplicate: false });
        }
      }),
    );
    for (const from of conversations) {
      const replies = await collectReplies(from, script.length);
      const turnOrder = [...new Set(replies.map((reply) => reply.inReplyTo))];
      expect(turnOrder).toEqual(script.map((_, index) => `${from}-m${index}`));
      // Within a turn, replies keep their positions too.
      for (const turn of turnOrder) {
        const ids = replies.filter((reply) => reply.inReplyTo === turn).map((reply) => reply.id);
        expect(ids).toEqual(ids.map((_, position) => `${turn}:${position + 1}`));
      }
      // The answers are the conversation's, not just any: message 2 chose Indonesian.
      const menu = replies.find((reply) => reply.inReplyTo === `${from}-m1` && reply.choices.length === 6);
      expect(menu?.choices.map((choice) => choice.id)).toEqual([
        'migrate_safely',
        'check_offer',
        'warning_signs',
        'find_services',
        'returnees',
        'talk_to_person',
      ]);
      expect(menu?.text).toBe('Apa yang bisa saya bantu?');
    }
  });

  it('accepts a repeated id as a duplicate and answers it once', async () => {
    const message = { from: 'dup-user', id: 'wamid.1', text: 'halo' };
    const first = await post(message);
    const second = await post(message);
    expect(await first.json()).toEqual({ accepted: true, duplicate: false });
    expect(second.status).toBe(202);
    expect(await second.json()).toEqual({ accepted: true, duplicate: true });
    // A later message proves the queue moved past the duplicate without answering it.
    await post({ from: 'dup-user', id: 'wamid.2', text: '2' });
    const replies = await collectReplies('dup-user', 2);
    expect(replies.filter((reply) => reply.inReplyTo === 'wamid.1')).toHaveLength(1);
    expect([...new Set(replies.map((reply) => reply.inReplyTo))]).toEqual(['wamid.1', 'wamid.2']);
    // The same id from another person is a different message.
    const other = await post({ ...message, from: 'someone-else' });
    expect(await other.json()).toEqual({ accepted: true, duplicate: false });
  });

  it('takes a pressed button by its id', async () => {
    await post({ from: 'button-user', id: 'b1', text: 'hi' });
    await post({ from: 'button-user', id: 'b2', choice: 'lang_en' });
    const replies = await collectReplies('button-user', 2);
    expect(replies.at(-1)?.text).toBe('How can I help?');
  });

  it.each([
    ['malformed JSON', '{"from": "x", "id": ', /JSON/i],
    ['a from with a brace', { from: 'x}y', id: '1', text: 'hi' }, /from/],
    ['an empty id', { from: 'x', id: '', text: 'hi' }, /id/],
    ['neither text, choice nor location', { from: 'x', id: '1' }, /text, choice or location/],
    ['text that is not a string', { from: 'x', id: '1', text: 5 }, /text/],
    ['an unknown field', { from: 'x', id: '1', text: 'hi', phone: '+62' }, /phone/],
    ['a JSON array', [1, 2], /expected object/i],
  ])('answers 400 with a reason for %s', async (_name, body, reason) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: string };
    expect(error).toMatch(reason);
  });

  it('answers 413 to a body over 64 KiB and queues nothing', async () => {
    const response = await post({ from: 'big', id: '1', text: 'x'.repeat(70 * 1024) });
    expect(response.status).toBe(413);
    expect(await runtime.inbound.pending('http:big')).toBe(0);
  });

  it('answers 400 to a bad cursor or wait', async () => {
    const badCursor = await fetch(`${baseUrl}/v1/conversations/x/replies?after=abc`);
    expect(badCursor.status).toBe(400);
    // Shaped like a cursor, but larger than any stream id: a 400, never a 500.
    const hugeCursor = await fetch(`${baseUrl}/v1/conversations/x/replies?after=99999999999999999999-0`);
    expect(hugeCursor.status).toBe(400);
    const badWait = await fetch(`${baseUrl}/v1/conversations/x/replies?wait=999999`);
    expect(badWait.status).toBe(400);
  });

  it('long-polls: a waiting request returns as soon as the reply exists', async () => {
    const waiting = fetch(`${baseUrl}/v1/conversations/poller/replies?after=0&wait=10000`);
    await post({ from: 'poller', id: 'p1', text: 'halo' });
    const body = (await (await waiting).json()) as { replies: ReplyBody[]; cursor: string };
    expect(body.replies.map((reply) => reply.inReplyTo)).toEqual(['p1']);
    // Nothing new after the cursor: an immediate empty answer with the same cursor.
    const after = (await (await fetch(`${baseUrl}/v1/conversations/poller/replies?after=${body.cursor}`)).json()) as {
      replies: ReplyBody[];
      cursor: string;
    };
    expect(after.replies).toEqual([]);
  });

  it('serves /healthz and /readyz', async () => {
    const health = await fetch(`${baseUrl}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });
});

const PARTNER_TOKEN = 'sms-gateway-token-0123456789abcdef';

describe('HTTP channel with partner tokens', () => {
  let secured: PelitaRuntime;
  let securedUrl: string;

  beforeAll(async () => {
    ({ runtime: secured, baseUrl: securedUrl } = await startTestPelita(
      redis,
      { HTTP_CHANNEL_TOKENS: `sms:${PARTNER_TOKEN}`, METRICS_TOKEN: 'metrics-token' },
      'gateway',
    ));
  });
  afterAll(async () => {
    await secured?.stop();
  });

  const post = (body: object, authorization?: string) =>
    fetch(`${securedUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(body),
    });
  const replies = (from: string, authorization?: string) =>
    fetch(`${securedUrl}/v1/conversations/${from}/replies`, { headers: authorization ? { authorization } : {} });

  it('lets a partner write and read as any of its people, and nobody else', async () => {
    expect((await post({ from: '6281234567890', id: '1', text: 'halo' })).status).toBe(401);
    expect((await post({ from: '6281234567890', id: '1', text: 'halo' }, 'Bearer wrong')).status).toBe(401);
    expect((await post({ from: '6281234567890', id: '1', text: 'halo' }, `Bearer ${PARTNER_TOKEN}`)).status).toBe(202);
    expect((await replies('6281234567890')).status).toBe(401);
    expect((await replies('6281234567890', 'Bearer wrong')).status).toBe(401);
    expect((await replies('6281234567890', `Bearer ${PARTNER_TOKEN}`)).status).toBe(200);
    // Health checks stay open for load balancers; /metrics asks for its own token.
    expect((await fetch(`${securedUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${securedUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${securedUrl}/metrics`, { headers: { authorization: 'Bearer metrics-token' } })).status).toBe(200);
  });

  it('gives a client without credentials a conversation of its own, and its token opens only that one', async () => {
    const started = await post({ id: 'w1', text: 'halo' });
    expect(started.status).toBe(202);
    const { from, conversationToken } = (await started.json()) as { from: string; conversationToken: string };
    expect(from).toMatch(/^w[A-Za-z0-9_-]{16}$/);
    const own = `Bearer ${conversationToken}`;
    // Its own conversation: writing (with or without naming it) and reading.
    expect((await post({ from, id: 'w2', text: 'ya' }, own)).status).toBe(202);
    expect((await post({ id: 'w3', text: 'ya' }, own)).status).toBe(202);
    expect((await replies(from, own)).status).toBe(200);
    // Anyone else's: refused, whether named by id or tried without a token.
    expect((await post({ from: '6281234567890', id: 'x1', text: 'hapus data saya' }, own)).status).toBe(403);
    expect((await replies('6281234567890', own)).status).toBe(403);
    expect((await post({ from, id: 'x2', text: 'hapus data saya' })).status).toBe(401);
    expect((await replies(from)).status).toBe(401);
    // A guessed secret for a real conversation id is no key.
    expect((await replies(from, `Bearer ${from}.guessed-secret`)).status).toBe(401);
    // A second client gets a different conversation.
    const other = (await (await post({ id: 'o1', text: 'halo' })).json()) as { from: string };
    expect(other.from).not.toBe(from);
  });
});

describe('HTTP channel beyond loopback', () => {
  it('refuses to start without a token, naming the setting', async () => {
    await expect(startTestPelita(redis, { HOST: '0.0.0.0' }, 'gateway')).rejects.toThrow(/HTTP_CHANNEL_TOKENS/);
  });
});
