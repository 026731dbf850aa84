import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PelitaRuntime } from '../src/app/pelita-runtime.ts';
import { PACKAGE_ROOT } from '../src/config/content-paths.ts';
import { startTestPelita } from './harness/test-pelita.ts';
import { neverQuiet } from './harness/never-quiet.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

/** The admin API for broadcasts (named staff tokens, OpenAPI at /docs) and `pelita broadcast`, on a real Redis. */
const SARI = 'sari-token-0123456789abcdefghij';
const BUDI = 'budi-token-0123456789abcdefghij';
let redis: TestRedis;
let runtime: PelitaRuntime;
let baseUrl: string;

beforeAll(async () => {
  redis = await startTestRedis();
  ({ runtime, baseUrl } = await startTestPelita(redis, { ADMIN_TOKENS: `sari:${SARI},budi:${BUDI}`, BROADCAST_APPROVAL_THRESHOLD: '1' }));
  const consent = { wording: 'alerts.consent#00000000', at: new Date().toISOString() };
  for (const from of ['adm-1', 'adm-2']) {
    await runtime.contacts.subscribe(`http:${from}`, {
      language: 'id',
      province: '52',
      topics: ['scam_alerts'],
      timeZone: 'Asia/Makassar',
      consent,
    });
  }
});
afterAll(async () => {
  await runtime?.stop(2000);
  await redis?.stop();
});

const call = async (method: string, route: string, token?: string, body?: unknown) => {
  const response = await fetch(`${baseUrl}${route}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as Record<string, unknown> & { error?: string } };
};

const broadcast = {
  id: 'admin-api-1',
  title: 'Test',
  text: { id: 'Waspada', en: 'Beware' },
  target: { provinces: ['52'] },
  quiet_hours: neverQuiet(),
};

describe('the broadcasts admin API', () => {
  it('refuses callers without a staff token', async () => {
    expect((await call('GET', '/v1/broadcasts')).status).toBe(401);
    expect((await call('GET', '/v1/broadcasts', 'not-a-token')).status).toBe(401);
    expect((await call('POST', '/v1/broadcasts', undefined, broadcast)).status).toBe(401);
  });

  it('says what is wrong with a definition, field by field', async () => {
    const bad = await call('POST', '/v1/broadcasts', SARI, { ...broadcast, id: 'X', quiet_hours: { start: '25:00', end: '07:00' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^id: ids are 3-64/m);
    expect(bad.body.error).toMatch(/^quiet_hours\.start: start is a 24-hour time/m);
  });

  it('creates once, previews, needs a second staff member above the threshold, sends, and audits each name', async () => {
    const created = await call('POST', '/v1/broadcasts', SARI, broadcast);
    expect(created.status).toBe(201);
    expect((await call('POST', '/v1/broadcasts', BUDI, broadcast)).status).toBe(200);
    expect((await call('POST', '/v1/broadcasts', SARI, { ...broadcast, title: 'other' })).status).toBe(409);

    const preview = await call('GET', '/v1/broadcasts/admin-api-1/preview', BUDI);
    expect(preview.body).toMatchObject({ recipients: 2, needsApproval: true, byChannel: { http: 2 }, byLanguage: { id: 2 } });
    expect(preview.body.rendered).toEqual(expect.arrayContaining([{ channel: 'http', language: 'id', parts: ['Waspada'] }]));

    expect((await call('POST', '/v1/broadcasts/admin-api-1/send', SARI)).status).toBe(403);
    expect((await call('POST', '/v1/broadcasts/admin-api-1/approve', SARI)).status).toBe(403);
    expect((await call('POST', '/v1/broadcasts/admin-api-1/approve', BUDI)).status).toBe(200);
    expect((await call('POST', '/v1/broadcasts/admin-api-1/send', SARI)).status).toBe(200);
    expect((await call('POST', '/v1/broadcasts/admin-api-1/send', SARI)).status).toBe(409);
    await expect
      .poll(async () => ((await call('GET', '/v1/broadcasts/admin-api-1', BUDI)).body.progress as { state: string }).state, {
        timeout: 10_000,
      })
      .toBe('done');
    const status = await call('GET', '/v1/broadcasts/admin-api-1', BUDI);
    expect(status.body.progress).toMatchObject({ targeted: 2, sent: 2, pending: 0 });
    expect((status.body.audit as { by: string; event: string }[]).map((entry) => `${entry.event}:${entry.by}`)).toEqual([
      'created:sari',
      'approved:budi',
      'send:sari',
      'done:system',
    ]);
    expect((await call('GET', '/v1/broadcasts/nope', BUDI)).status).toBe(404);
    expect((await call('POST', '/v1/broadcasts/nope/cancel', BUDI)).status).toBe(404);
  });

  it('publishes an OpenAPI document of the admin routes, and a page at /docs', async () => {
    const document = (await (await fetch(`${baseUrl}/docs/json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toMatch(/^3\./);
    for (const route of [
      '/v1/broadcasts',
      '/v1/broadcasts/{id}',
      '/v1/broadcasts/{id}/preview',
      '/v1/broadcasts/{id}/approve',
      '/v1/cases',
    ]) {
      expect(Object.keys(document.paths)).toContain(route);
    }
    const page = await fetch(`${baseUrl}/docs/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('counts recipients per broadcast and channel in /metrics', async () => {
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(metrics).toContain('pelita_broadcast_recipients_total{broadcast="admin-api-1",channel="http",outcome="sent"} 2');
  });
});

/** Runs the real `pelita` command, as staff would. */
function pelita(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(PACKAGE_ROOT, 'bin', 'pelita.mjs'), ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('pelita broadcast', () => {
  it('creates from a file, previews, refuses changes without a name, and reports status and the list', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'pelita-broadcast-')), 'alert.yaml');
    writeFileSync(file, 'id: cli-alert-1\ntext:\n  id: Waspada lowongan palsu\n  en: Beware of fake jobs\ntarget:\n  provinces: ["52"]\n');
    const created = await pelita(['broadcast', 'create', file, '--by', 'sari']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^created: cli-alert-1\tdraft/);
    const preview = await pelita(['broadcast', 'preview', 'cli-alert-1']);
    expect(preview.stdout).toContain('2 recipients');
    expect(preview.stdout).toContain('Waspada lowongan palsu');
    const unnamed = await pelita(['broadcast', 'approve', 'cli-alert-1']);
    expect(unnamed.code).toBe(2);
    expect(unnamed.stderr).toContain('needs --by NAME');
    const broken = path.join(path.dirname(file), 'broken.yaml');
    writeFileSync(broken, 'id: cli-alert-2\ntext: { id: "x" }\n');
    const refused = await pelita(['broadcast', 'create', broken, '--by', 'sari']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('text: no text in "en", and no fallback_language');
    const status = JSON.parse((await pelita(['broadcast', 'status', 'cli-alert-1', '--json'])).stdout) as { progress: { state: string } };
    expect(status.progress.state).toBe('draft');
    const list = JSON.parse((await pelita(['broadcast', 'list', '--json'])).stdout) as { broadcasts: { definition: { id: string } }[] };
    expect(list.broadcasts.map((record) => record.definition.id)).toContain('cli-alert-1');
  });
});
