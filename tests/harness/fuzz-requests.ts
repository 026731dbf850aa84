import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { cloudWebhook } from './fake-graph-api.ts';
import { inParallel } from './http-load.ts';

/** A running Pelita with every public route on, and the secrets a real caller would hold. */
export interface FuzzTarget {
  baseUrl: string;
  partnerToken: string;
  telegramSecret: string;
  whatsappSecret: string;
  adminToken: string;
}

export interface FuzzResult {
  requests: number;
  /** Requests answered 5xx, or not answered at all. */
  failures: string[];
  /** Requests with forged or missing credentials that were accepted anyway. */
  forgeriesAccepted: string[];
  /** How many got each status: a fuzz that only ever meets one refusal tests little. */
  statuses: Record<number, number>;
  /**
   * Well-formed requests with the right credentials that were not accepted. They run in
   * every fuzz, whatever the seed, so a target that refuses everything cannot pass.
   */
  wellFormedRefused: string[];
}

interface FuzzRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Its credentials are forged or missing: anything but a refusal is a forgery accepted. */
  forged: boolean;
  /** Well-formed with the right credentials: anything but a 2xx is a failure. */
  wellFormed?: boolean;
}

const hostileText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    '',
    ' ',
    '\u200b\u200d\ufeff',
    '\u0000',
    '__proto__',
    'constructor',
    '{}',
    '}',
    '{http:x}',
    '../../etc/passwd',
    '%00',
    'x'.repeat(5000),
    'tolong saya dikurung majikan',
  ),
);

const hostileJson: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.record({ from: hostileText, id: hostileText, text: hostileText }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
  fc
    .record(
      {
        id: fc.string({ minLength: 1, maxLength: 20 }),
        text: hostileText,
        choice: hostileText,
        location: fc.record({ lat: fc.double(), lon: fc.double() }),
      },
      { requiredKeys: ['id'] },
    )
    .map((value) => JSON.stringify(value)),
  // Prototype pollution, deep nesting, a body near and past the size limit, not JSON at all.
  fc.constantFrom(
    '{"__proto__":{"polluted":true},"id":"p","text":"halo"}',
    '{"constructor":{"prototype":{"polluted":true}},"id":"c","text":"halo"}',
    `${'['.repeat(5000)}${']'.repeat(5000)}`,
    JSON.stringify({ id: 'big', text: 'a'.repeat(70_000) }),
    '{"id":',
    'null',
    '\u0000\u0001',
  ),
);

const cursor = fc.oneof(fc.constantFrom('0', '1-0', '99999999999999999999-0', '-1', 'abc'), fc.string({ maxLength: 30 }));
const shortWait = fc.oneof(fc.integer({ min: -5, max: 50 }).map(String), fc.constantFrom('x', '1e9', ''));

function arbitraryRequest(target: FuzzTarget): fc.Arbitrary<FuzzRequest> {
  const json = { 'content-type': 'application/json' };
  const forgedBearer = fc
    .oneof(fc.string({ maxLength: 60 }), fc.constant(`${target.partnerToken}x`), fc.constant('w0123456789abcdefg.secret'))
    .map((token) => `Bearer ${token}`);
  return fc.oneof(
    // The HTTP channel as a partner: anything may come back but a 5xx.
    hostileJson.map(
      (body): FuzzRequest => ({
        method: 'POST',
        path: '/v1/messages',
        headers: { ...json, authorization: `Bearer ${target.partnerToken}` },
        body,
        forged: false,
      }),
    ),
    // With a forged token, or as someone without one: never accepted as anybody.
    fc.tuple(hostileJson, forgedBearer).map(
      ([body, authorization]): FuzzRequest => ({
        method: 'POST',
        path: '/v1/messages',
        headers: { ...json, authorization },
        body,
        forged: true,
      }),
    ),
    fc.tuple(hostileText, hostileText).map(
      ([from, text]): FuzzRequest => ({
        method: 'POST',
        path: '/v1/messages',
        headers: json,
        body: JSON.stringify({ from: from || 'someone', id: 'x', text }),
        forged: true,
      }),
    ),
    fc.tuple(hostileText, cursor, shortWait).map(
      ([from, after, wait]): FuzzRequest => ({
        method: 'GET',
        path: `/v1/conversations/${encodeURIComponent(from || 'x')}/replies?after=${encodeURIComponent(after)}&wait=${encodeURIComponent(wait)}`,
        headers: { authorization: `Bearer ${target.partnerToken}` },
        forged: false,
      }),
    ),
    fc.tuple(hostileText, forgedBearer).map(
      ([from, authorization]): FuzzRequest => ({
        method: 'GET',
        path: `/v1/conversations/${encodeURIComponent(from || 'x')}/replies?wait=0`,
        headers: { authorization },
        forged: true,
      }),
    ),
    // Telegram's webhook: with the secret, any body; without it, never accepted.
    hostileJson.map(
      (body): FuzzRequest => ({
        method: 'POST',
        path: '/webhooks/telegram',
        headers: { ...json, 'x-telegram-bot-api-secret-token': target.telegramSecret },
        body,
        forged: false,
      }),
    ),
    fc.tuple(hostileJson, fc.string({ maxLength: 80 })).map(
      ([body, secret]): FuzzRequest => ({
        method: 'POST',
        path: '/webhooks/telegram',
        headers: { ...json, 'x-telegram-bot-api-secret-token': secret },
        body,
        forged: true,
      }),
    ),
    // WhatsApp's webhook: signed, any body; forged signatures, and a real signature replayed on another body.
    hostileJson.map(
      (body): FuzzRequest => ({
        method: 'POST',
        path: '/webhooks/whatsapp',
        headers: { ...json, 'x-hub-signature-256': signed(body, target.whatsappSecret) },
        body,
        forged: false,
      }),
    ),
    fc.tuple(hostileJson, fc.string({ maxLength: 80 })).map(
      ([body, signature]): FuzzRequest => ({
        method: 'POST',
        path: '/webhooks/whatsapp',
        headers: { ...json, 'x-hub-signature-256': `sha256=${signature}` },
        body,
        forged: true,
      }),
    ),
    fc.tuple(hostileJson, hostileJson).map(
      ([body, other]): FuzzRequest => ({
        method: 'POST',
        path: '/webhooks/whatsapp',
        headers: { ...json, 'x-hub-signature-256': signed(other, target.whatsappSecret) },
        body: body === other ? `${body} ` : body,
        forged: true,
      }),
    ),
    fc.tuple(hostileText, hostileText).map(
      ([token, challenge]): FuzzRequest => ({
        method: 'GET',
        path: `/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=${encodeURIComponent(challenge)}`,
        headers: {},
        forged: true,
      }),
    ),
    // Case workers' API without the admin token, and with it on odd ids and bodies.
    fc.tuple(hostileText, forgedBearer).map(
      ([id, authorization]): FuzzRequest => ({
        method: 'POST',
        path: `/v1/cases/${encodeURIComponent(id || 'C1')}/claim`,
        headers: { ...json, authorization },
        body: '{}',
        forged: true,
      }),
    ),
    fc.tuple(hostileText, hostileJson).map(
      ([id, body]): FuzzRequest => ({
        method: 'POST',
        path: `/v1/cases/${encodeURIComponent(id || 'C1')}/reply`,
        headers: { ...json, authorization: `Bearer ${target.adminToken}` },
        body,
        forged: false,
      }),
    ),
    // Anywhere else.
    fc.tuple(fc.webPath(), hostileJson).map(
      ([path, body]): FuzzRequest => ({
        method: 'POST',
        path: path.startsWith('/') ? path : `/${path}`,
        headers: json,
        body,
        forged: false,
      }),
    ),
  );
}

/** One request of each kind a real caller sends, each of which must be accepted. */
function wellFormedRequests(target: FuzzTarget): FuzzRequest[] {
  const json = { 'content-type': 'application/json' };
  const now = Math.floor(Date.now() / 1000);
  const telegramUpdate = JSON.stringify({
    update_id: 7001,
    message: {
      message_id: 1,
      date: now,
      chat: { id: 7001, type: 'private' },
      from: { id: 7001, is_bot: false, first_name: 'Fuzz' },
      text: 'halo',
    },
  });
  const whatsappBody = cloudWebhook([
    { from: '6280007001', id: 'wamid.FUZZ', timestamp: String(now), type: 'text', text: { body: 'halo' } },
  ]);
  const partner = { authorization: `Bearer ${target.partnerToken}` };
  const requests: Omit<FuzzRequest, 'wellFormed'>[] = [
    {
      method: 'POST',
      path: '/v1/messages',
      headers: { ...json, ...partner },
      body: JSON.stringify({ from: 'fuzz-partner-user', id: 'm1', text: 'halo' }),
      forged: false,
    },
    { method: 'GET', path: '/v1/conversations/fuzz-partner-user/replies?after=0&wait=0', headers: partner, forged: false },
    {
      method: 'POST',
      path: '/webhooks/telegram',
      headers: { ...json, 'x-telegram-bot-api-secret-token': target.telegramSecret },
      body: telegramUpdate,
      forged: false,
    },
    {
      method: 'POST',
      path: '/webhooks/whatsapp',
      headers: { ...json, 'x-hub-signature-256': signed(whatsappBody, target.whatsappSecret) },
      body: whatsappBody,
      forged: false,
    },
  ];
  return requests.map((request) => ({ ...request, wellFormed: true }));
}

function signed(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Sends `count` arbitrary and hostile requests (reproducible by `seed`), 16 at a time. */
export async function fuzzRequests(
  target: FuzzTarget,
  count: number,
  seed: number,
  onProgress?: (done: number) => void,
): Promise<FuzzResult> {
  const requests = [...wellFormedRequests(target), ...fc.sample(arbitraryRequest(target), { numRuns: count, seed })];
  const failures: string[] = [];
  const wellFormedRefused: string[] = [];
  const forgeriesAccepted: string[] = [];
  const statuses: Record<number, number> = {};
  let done = 0;
  await inParallel(requests, 16, async (request) => {
    const where = `${request.method} ${request.path.slice(0, 80)}`;
    try {
      const response = await fetch(`${target.baseUrl}${request.path}`, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
      });
      await response.body?.cancel();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (response.status >= 500) failures.push(`${where}: ${response.status}`);
      if (request.wellFormed && (response.status < 200 || response.status >= 300)) wellFormedRefused.push(`${where}: ${response.status}`);
      if (request.forged && response.status < 300 && !startsNewConversation(request))
        forgeriesAccepted.push(`${where}: ${response.status}`);
    } catch (error) {
      failures.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
    }
    done += 1;
    onProgress?.(done);
  });
  return { requests: requests.length, failures, forgeriesAccepted, statuses, wellFormedRefused };
}

/** A message with no "from": anyone may start a conversation of their own, so it is no forgery. */
function startsNewConversation(request: FuzzRequest): boolean {
  if (request.path !== '/v1/messages' || request.body === undefined) return false;
  try {
    const body = JSON.parse(request.body) as unknown;
    return typeof body === 'object' && body !== null && !('from' in body);
  } catch {
    return false;
  }
}
