import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/config/content-paths.ts';
import type { PelitaRuntime } from '../src/app/pelita-runtime.ts';
import { pollReplies, postUntilAccepted } from './harness/http-load.ts';
import { startTestPelita } from './harness/test-pelita.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describe('the admin API for cases', () => {
  const token = 'admin-secret';
  let runtime: PelitaRuntime;
  let baseUrl: string;
  beforeAll(async () => {
    ({ runtime, baseUrl } = await startTestPelita(redis, { ADMIN_TOKEN: token }));
  });
  afterAll(async () => {
    await runtime?.stop(2000);
  });

  const call = (method: string, url: string, body?: unknown, bearer: string | null = token) =>
    fetch(`${baseUrl}${url}`, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  it('refuses requests without the right token', async () => {
    expect((await call('GET', '/v1/cases', undefined, null)).status).toBe(401);
    expect((await call('GET', '/v1/cases', undefined, 'wrong')).status).toBe(401);
    expect((await call('POST', '/v1/cases/C1/claim', { operator: 'x' }, null)).status).toBe(401);
  });

  it('lists, claims, answers through and resolves a case', async () => {
    await postUntilAccepted(baseUrl, { from: 'admin-person', id: 'p1', text: 'tolong saya disekap agen tidak boleh keluar' });
    await expect
      .poll(async () =>
        ((await (await call('GET', '/v1/cases?status=open')).json()) as { cases: { conversationId: string }[] }).cases.some(
          (found) => found.conversationId === 'http:admin-person',
        ),
      )
      .toBe(true);
    const { cases } = (await (await call('GET', '/v1/cases?status=open')).json()) as { cases: { id: string; conversationId: string }[] };
    const id = cases.find((found) => found.conversationId === 'http:admin-person')!.id;

    expect((await call('GET', '/v1/cases?status=nonsense')).status).toBe(400);
    expect((await call('POST', `/v1/cases/${id}/reply`, { operator: 'Dewi', text: 'Halo' })).status).toBe(403);
    expect((await call('POST', `/v1/cases/${id}/claim`, { operator: 'Dewi' })).status).toBe(200);
    expect((await call('POST', `/v1/cases/${id}/claim`, { operator: 'Budi' })).status).toBe(409);
    expect((await call('POST', `/v1/cases/${id}/reply`, { operator: 'Dewi', text: 'Kami akan menghubungi KBRI.', id: 'r1' })).status).toBe(
      200,
    );
    expect((await call('POST', `/v1/cases/${id}/resolve`, { operator: 'Dewi' })).status).toBe(200);
    expect((await call('POST', '/v1/cases/NOPE/claim', { operator: 'Dewi' })).status).toBe(404);

    const replies = await pollReplies(baseUrl, 'admin-person', 3);
    const said = replies.map((reply) => reply.text);
    expect(said).toContain('Petugas: Kami akan menghubungi KBRI.');
    expect(said.at(-1)).toMatch(/kembali berbicara dengan Pelita/);
    const shown = (await (await call('GET', `/v1/cases/${id}`)).json()) as {
      case: { status: string };
      audit: { event: string; by: string }[];
    };
    expect(shown.case.status).toBe('resolved');
    expect(shown.audit.map((entry) => `${entry.event}:${entry.by}`)).toEqual(
      expect.arrayContaining(['opened:system', 'claimed:api:Dewi', 'operator_replied:api:Dewi', 'resolved:api:Dewi']),
    );
  });
});

describe('issue 8, done when: pelita chat, then pelita cases list', () => {
  const pelita = (args: string[], input?: string) =>
    spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'bin', 'pelita.mjs'), ...args], {
      input,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', REDIS_URL: redis.url, REDIS_PREFIX: `${redis.prefix}cli` },
      timeout: 60_000,
    });

  for (const [lang, user, text, numbers] of [
    ['id', 'U', 'tolong saya dikurung majikan tidak boleh keluar', /110[\s\S]*SAPA 129/],
    ['en', 'U-en', 'help my employer locked me in the house and I cannot leave', /110[\s\S]*129/],
  ] as const) {
    it(`answers the emergency with hotlines and leaves an open case (${lang})`, () => {
      const chat = pelita(['chat', '--user', user, '--lang', lang, '--json'], `1\n${text}\n`);
      expect(chat.status, chat.stderr).toBe(0);
      const replies = chat.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { inReplyTo: string; text: string });
      const turns = [...new Set(replies.map((reply) => reply.inReplyTo))];
      expect(
        replies
          .filter((reply) => reply.inReplyTo === turns[1])
          .map((reply) => reply.text)
          .join('\n'),
      ).toMatch(numbers);

      const list = pelita(['cases', 'list', '--json']);
      expect(list.status, list.stderr).toBe(0);
      const { cases } = JSON.parse(list.stdout) as { cases: { conversationId: string; status: string; reason: string }[] };
      expect(cases.find((found) => found.conversationId === `console:${user}`)).toMatchObject({ status: 'open', reason: 'emergency' });
    }, 60_000);
  }
});
