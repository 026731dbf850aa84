/**
 * What a flood costs other people: 100 people each write while Pelita is idle, then again
 * while one sender posts 5,000 messages and 20,000 new senders one each, as fast as 64
 * connections take them, all through the HTTP channel with the default inbound limits.
 * The figure is each person's time from posting to reading their reply (long-polled);
 * the flood should leave their p99 within twice the idle one. The attacker is a process of
 * its own (bench/flood-attacker.ts), as it is a machine of its own in the world.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { PACKAGE_ROOT } from '../src/config/content-paths.ts';
import { postMessage } from '../tests/harness/http-load.ts';
import { spawnPelita } from '../tests/harness/pelita-process.ts';
import { sleep, waitFor } from './bench-rounds.ts';

const PEOPLE = 100;
const FLOODER_MESSAGES = 5000;
const NEW_SENDERS = 20_000;
const FLOOD_CONNECTIONS = 64;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

export async function floodLatency(
  redisUrl: string,
): Promise<{ idleP99: number; floodP99: number; floodAccepted: number; floodRefused: number }> {
  // Pelita in a process of its own, as deployed: the flood's clients (here) are not charged
  // to it, and each side has a core of the 2-core machine.
  const pelita = await spawnPelita('all', {
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `bench-flood-${Date.now()}`,
    NEW_CONVERSATIONS_PER_MIN: '1200',
  });
  const baseUrl = `http://127.0.0.1:${pelita.port}`;
  const cursors = new Map<string, string>();
  /** One person's message, from posting to reading its reply. */
  const turn = async (from: string, id: string, text: string): Promise<number> => {
    const started = performance.now();
    if ((await postMessage(baseUrl, { from, id, text })) !== 202) throw new Error(`${from}: message refused`);
    for (;;) {
      const response = await fetch(`${baseUrl}/v1/conversations/${from}/replies?after=${cursors.get(from) ?? '0'}&wait=10000`);
      const body = (await response.json()) as { replies: { inReplyTo: string }[]; cursor: string };
      cursors.set(from, body.cursor);
      if (body.replies.some((reply) => reply.inReplyTo === id)) return performance.now() - started;
    }
  };
  const people = Array.from({ length: PEOPLE }, (_, n) => `person-${n}`);
  /** Each person writes once, `apartMs` apart, all waiting for their answers at once. */
  const round = async (text: string, tag: string, apartMs = 20) => {
    const latencies: number[] = [];
    await Promise.all(
      people.map(async (from, n) => {
        await sleep(n * apartMs);
        latencies.push(await turn(from, `${from}-${tag}`, text));
      }),
    );
    return latencies;
  };
  try {
    // New conversations are paced (20 a second by default): the people arrive slower than that.
    await round('halo', 'warm', 60);
    const idle = await round('apa syarat kerja ke malaysia?', 'idle');
    const attacker = spawn(
      process.execPath,
      [
        path.join(PACKAGE_ROOT, 'bin', 'run-ts.mjs'),
        path.join(PACKAGE_ROOT, 'bench', 'flood-attacker.ts'),
        baseUrl,
        String(FLOOD_CONNECTIONS),
        String(FLOODER_MESSAGES),
        String(NEW_SENDERS),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let said = '';
    attacker.stdout.on('data', (chunk: Buffer) => (said += chunk.toString()));
    const attackerDone = new Promise<void>((resolve) => attacker.once('exit', () => resolve()));
    await waitFor(async () => said.includes('flooding\n') || attacker.exitCode !== null);
    // The people write once the flood is under way.
    await sleep(500);
    const underFlood = await round('berapa biaya penempatan ke taiwan?', 'flood');
    attacker.kill('SIGTERM');
    await attackerDone;
    const counts = JSON.parse(said.split('\n').find((line) => line.startsWith('{')) ?? '{}') as { accepted?: number; refused?: number };
    if (counts.accepted === undefined || counts.refused === undefined) throw new Error(`the flood's attacker did not report: ${said}`);
    const floodAccepted = counts.accepted;
    const floodRefused = counts.refused;
    return { idleP99: Math.round(percentile(idle, 99)), floodP99: Math.round(percentile(underFlood, 99)), floodAccepted, floodRefused };
  } finally {
    pelita.child.kill('SIGTERM');
    await pelita.exited;
  }
}
