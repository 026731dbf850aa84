import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/config/content-paths.ts';
import { copyContent } from './harness/content-copy.ts';
import { PELITA_NODE_FLAGS } from './harness/pelita-process.ts';
import { freePort } from './harness/free-port.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

const PELITA = path.join(PACKAGE_ROOT, 'bin', 'pelita.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs the real `pelita` command, as a user would, with `input` on stdin. A chat trains both
 * NLU models at start unless another run saved them (node_modules/.cache/pelita-nlu), which
 * takes tens of seconds on a small machine running the other test files at once.
 */
function pelita(args: string[], env: Record<string, string>, input = '', timeoutMs = 60_000): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PELITA, ...args], {
      cwd: mkdtempSync(path.join(tmpdir(), 'pelita-cwd-')),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`pelita ${args.join(' ')} did not finish within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin.end(input);
  });
}

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => redis?.stop());

describe('pelita chat', () => {
  it('answers piped lines as JSON lines, through Redis, and exits 0', { timeout: 70_000 }, async () => {
    const run = await pelita(['chat', '--json'], { REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix }, 'halo\n1\n');
    expect(run.code, run.stderr).toBe(0);
    const replies = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const reply of replies) expect(Object.keys(reply)).toEqual(['id', 'inReplyTo', 'text', 'choices']);
    const turns = [...new Set(replies.map((reply) => reply.inReplyTo))];
    expect(turns).toHaveLength(2);
    expect(replies[0]?.choices).toEqual([
      { id: 'lang_id', label: 'Bahasa Indonesia' },
      { id: 'lang_en', label: 'English' },
    ]);
    expect(replies.at(-1)).toMatchObject({ inReplyTo: turns[1], text: 'Apa yang bisa saya bantu?' });
    // Nothing but replies on stdout: logs go to stderr.
    expect(run.stdout).not.toContain('"level"');
  });

  it('prints numbered menus as plain text and keeps a conversation across runs with --user', { timeout: 130_000 }, async () => {
    const env = { REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix };
    const first = await pelita(['chat', '--user', 'ani', '--lang', 'en'], env, 'hello\n');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('How can I help?\n  1. Migrate safely\n  2. Check job offer/agency');
    expect(first.stdout).toContain('  6. Talk to a person');
    const second = await pelita(['chat', '--user', 'ani'], env, 'talk to a person\n');
    expect(second.stdout).toMatch(/Your request is noted, but this chat is automatic/);
    // Numbers at once, before any question about where the person is.
    expect(second.stdout.indexOf('0800-1000')).toBeLessThan(second.stdout.indexOf('Which country are you in now?'));
    // Earlier runs' replies are not printed again.
    expect(second.stdout).not.toContain('How can I help?');
  });

  it('answers a question about services in a place straight away, with no onboarding first', { timeout: 130_000 }, async () => {
    const env = { REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix };
    const id = await pelita(['chat', '--lang', 'id', '--json'], env, 'cari layanan bantuan di Mataram\n');
    const idReplies = id.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { text: string });
    expect(idReplies[0]?.text).toMatch(/^Layanan di Kota Mataram:/);
    expect(idReplies[0]?.text).toContain('BP3MI Nusa Tenggara Barat');
    const en = await pelita(['chat', '--lang', 'en', '--json'], env, 'where can I get help near Makassar\n');
    const enReplies = en.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { text: string });
    expect(enReplies[0]?.text).toMatch(/^Services in Kota Makassar:/);
  });

  it('refuses a language it does not speak', async () => {
    const run = await pelita(['chat', '--lang', 'fr'], { REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix }, 'hi\n');
    expect(run.code, run.stderr.slice(-3000)).toBe(2);
    expect(run.stderr).toMatch(/--lang must be one of en, id/);
  });
});

describe('pelita start', () => {
  it('exits non-zero within 10 s naming REDIS_URL when Redis cannot be reached', async () => {
    const run = await pelita(['start'], { REDIS_URL: 'redis://127.0.0.1:1', PORT: '0' });
    expect(run.code).not.toBe(0);
    expect(run.ms).toBeLessThan(10_000);
    expect(run.stderr).toMatch(/REDIS_URL: cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
  });

  it('names each bad variable and starts nothing', async () => {
    const run = await pelita(['start'], { REDIS_URL: redis.url, PORT: 'x', LOG_LEVEL: 'loud' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^ {2}PORT: /m);
    expect(run.stderr).toMatch(/^ {2}LOG_LEVEL: /m);
  });

  it('refuses to start on a broken content file with one line naming the file, line and field', async () => {
    const copy = copyContent();
    copy.edit('content/red-flags.yaml', (text) => text.replace('  high: 7', '  high: seven'));
    const run = await pelita(['start'], { REDIS_URL: redis.url, PORT: '0', PELITA_CONTENT_DIR: copy.content });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(/^pelita: .*red-flags\.yaml:\d+: thresholds\.high: /);
    expect(run.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('serves /healthz, answers HTTP messages, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [...PELITA_NODE_FLAGS, PELITA, 'start'], {
      cwd: PACKAGE_ROOT,
      env: { PATH: process.env.PATH ?? '', REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let log = '';
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    try {
      const base = `http://127.0.0.1:${port}`;
      let health: Response | undefined;
      // Start-up trains the NLU: seconds on a busy 2-core machine. This waits for readiness; it measures nothing.
      for (let tries = 0; tries < 600 && !health; tries++) {
        health = await fetch(`${base}/healthz`).catch(() => undefined);
        if (!health) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(health?.status).toBe(200);
      const accepted = await fetch(`${base}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: 'cli-user', id: 'x1', text: 'halo' }),
      });
      expect(accepted.status).toBe(202);
      const replies = (await (await fetch(`${base}/v1/conversations/cli-user/replies?wait=10000`)).json()) as { replies: unknown[] };
      expect(replies.replies).toHaveLength(1);
      // docker-compose.yml runs this same command, and its healthcheck must pass against it.
      const compose = parse(readFileSync(path.join(PACKAGE_ROOT, 'docker-compose.yml'), 'utf8')) as {
        services: { pelita: { command: string[]; healthcheck: { test: string[] } } };
      };
      // With the Node flags of `npx pelita` (its first line), as the Dockerfile and `npm start` give them.
      const started = ['node', ...PELITA_NODE_FLAGS, 'bin/pelita.mjs', 'start'];
      expect(PELITA_NODE_FLAGS).toEqual(['--max-semi-space-size=32', '--no-memory-reducer']);
      expect(compose.services.pelita.command.slice(0, started.length)).toEqual(started);
      expect(readFileSync(path.join(PACKAGE_ROOT, 'Dockerfile'), 'utf8')).toContain(`CMD ${JSON.stringify(started).replaceAll(',', ', ')}`);
      const scripts = (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
        .scripts;
      expect(scripts.start).toBe(started.join(' '));
      // The benchmark's in-process runs measure Pelita with the same flags.
      expect(scripts.bench).toContain(PELITA_NODE_FLAGS.join(' '));
      const [kind, binary, ...args] = compose.services.pelita.healthcheck.test;
      expect([kind, binary]).toEqual(['CMD', 'node']);
      const check = spawn(
        process.execPath,
        args.map((arg) => arg.replace('127.0.0.1:3000', `127.0.0.1:${port}`)),
        { stdio: 'ignore' },
      );
      expect(await new Promise((resolve) => check.on('exit', resolve))).toBe(0);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    // No operators channel is configured here: the start log says so, once, naming the settings.
    expect(log.match(/nobody answers cases here/g)).toHaveLength(1);
    expect(log).toContain('OPERATORS_TELEGRAM_CHAT_ID');
    expect(log).toContain('CASE_WORKERS_USE_ADMIN_API');
  }, 90_000);
});
