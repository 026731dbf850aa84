/**
 * The benchmark's second half: the same pipeline and raw BullMQ comparison with the work in
 * `processes` separate worker processes (this process only accepts messages or adds jobs),
 * which is how a deployment adds throughput (`pelita start --role worker`, once per core).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { PACKAGE_ROOT } from '../src/app/content-paths.ts';
import { loadEngineContext } from '../src/app/load-engine-context.ts';
import { PelitaRuntime } from '../src/app/pelita-runtime.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { createLogger } from '../src/log/logger.ts';
import { spawnPelita } from '../tests/harness/pelita-process.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sum of one metric's value over the workers' /metrics. */
async function sumOverWorkers(ports: number[], metric: string): Promise<number> {
  let total = 0;
  for (const port of ports) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const line of text.split('\n')) if (line.startsWith(metric)) total += Number(line.split(' ').at(-1));
  }
  return total;
}

export async function pipelineWithWorkerProcesses(redisUrl: string, processes: number, messages: number, conversations: number, concurrency: number): Promise<number> {
  const prefix = `benchp${processes}`;
  const env = { REDIS_URL: redisUrl, REDIS_PREFIX: prefix, WORKER_CONCURRENCY: String(concurrency), METRICS_PORT: '0' };
  const workers = await Promise.all(Array.from({ length: processes }, () => spawnPelita('worker', env)));
  const ports = workers.map((worker) => worker.port!);
  const config = loadConfig({ REDIS_URL: redisUrl, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent' });
  const gateway = await PelitaRuntime.start({ config, log: createLogger({ level: 'silent', logMessages: false }), ctx: loadEngineContext(), role: 'gateway', http: false });
  try {
    const started = performance.now();
    await Promise.all(
      Array.from({ length: conversations }, async (_, conversation) => {
        for (let n = 0; n < messages / conversations; n++) {
          await gateway.gateway.accept({
            channel: 'console',
            conversationId: `console:mp-${conversation}`,
            messageId: `m${n}`,
            text: n % 2 === 0 ? 'halo' : '1',
            receivedAt: new Date().toISOString(),
          });
        }
      }),
    );
    while ((await sumOverWorkers(ports, 'pelita_reply_latency_seconds_count')) < messages) await sleep(20);
    return messages / ((performance.now() - started) / 1000);
  } finally {
    await gateway.stop(1000);
    for (const worker of workers) worker.child.kill('SIGTERM');
    await Promise.all(workers.map((worker) => worker.exited));
  }
}

export async function rawBullmqWithWorkerProcesses(redisUrl: string, processes: number, jobs: number, concurrency: number): Promise<number> {
  const prefix = `rawp${processes}`;
  const children: ChildProcess[] = [];
  for (let n = 0; n < processes; n++) {
    const child = spawn(process.execPath, [path.join(PACKAGE_ROOT, 'bin', 'run-ts.mjs'), path.join(PACKAGE_ROOT, 'bench', 'raw-bullmq-worker.ts'), redisUrl, prefix, String(concurrency)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
  }
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('raw', { connection, prefix });
  try {
    const started = performance.now();
    // Completed jobs are kept (a sorted set) so that this process can count them cheaply.
    await Promise.all(Array.from({ length: jobs }, (_, n) => queue.add('noop', { n })));
    while ((await queue.getCompletedCount()) < jobs) await sleep(5);
    return jobs / ((performance.now() - started) / 1000);
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
    await connection.quit();
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)))));
  }
}
