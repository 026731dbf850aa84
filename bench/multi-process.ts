/**
 * The benchmark's second half: the same pipeline and raw BullMQ comparison with the work in
 * `processes` separate worker processes (this process only accepts messages or adds jobs),
 * which is how a deployment adds throughput (`pelita start --role worker`, once per core).
 * As in the first half: a warm-up round each, then measured rounds taken in turns, medians.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { PACKAGE_ROOT } from '../src/config/content-paths.ts';
import { loadEngineContext } from '../src/app/load-engine-context.ts';
import { PelitaRuntime } from '../src/app/pelita-runtime.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { createLogger } from '../src/core/log/logger.ts';
import { spawnPelita } from '../tests/harness/pelita-process.ts';
import { median, waitFor } from './bench-rounds.ts';

export interface ProcessesBenchOptions {
  processes: number;
  warmup: number;
  /** Messages (and jobs) per measured round. */
  messages: number;
  rounds: number;
  conversations: number;
  concurrency: number;
}

/** Sum of one metric's value over the workers' /metrics. */
async function sumOverWorkers(ports: number[], metric: string): Promise<number> {
  let total = 0;
  for (const port of ports) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const line of text.split('\n')) if (line.startsWith(metric)) total += Number(line.split(' ').at(-1));
  }
  return total;
}

export async function withWorkerProcesses(redisUrl: string, options: ProcessesBenchOptions): Promise<{ pipeline: number; raw: number }> {
  const { processes, conversations, concurrency } = options;
  const prefix = `benchp${processes}`;
  const env = { REDIS_URL: redisUrl, REDIS_PREFIX: prefix, WORKER_CONCURRENCY: String(concurrency), METRICS_PORT: '0' };
  const workers = await Promise.all(Array.from({ length: processes }, () => spawnPelita('worker', env)));
  const ports = workers.map((worker) => worker.port!);
  // Inbound limits off, as in the first half.
  const config = loadConfig({
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    SENDER_MESSAGES_PER_MIN: '0',
    NEW_CONVERSATIONS_PER_MIN: '0',
  });
  const gateway = await PelitaRuntime.start({
    config,
    log: createLogger({ level: 'silent', logMessages: false }),
    ctx: loadEngineContext(),
    role: 'gateway',
    http: false,
  });

  const rawPrefix = `rawp${processes}`;
  const children: ChildProcess[] = [];
  for (let n = 0; n < processes; n++) {
    const child = spawn(
      process.execPath,
      [
        path.join(PACKAGE_ROOT, 'bin', 'run-ts.mjs'),
        path.join(PACKAGE_ROOT, 'bench', 'raw-bullmq-worker.ts'),
        redisUrl,
        rawPrefix,
        String(concurrency),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    children.push(child);
    await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
  }
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('raw', { connection, prefix: rawPrefix });

  const pipelineRound = async (name: string, messages: number): Promise<number> => {
    const before = await sumOverWorkers(ports, 'pelita_reply_latency_seconds_count');
    const started = performance.now();
    await Promise.all(
      Array.from({ length: conversations }, async (_, conversation) => {
        for (let n = 0; n < messages / conversations; n++) {
          await gateway.gateway.accept({
            channel: 'console',
            conversationId: `console:${name}-${conversation}`,
            messageId: `m${n}`,
            text: n % 2 === 0 ? 'halo' : '1',
            receivedAt: new Date().toISOString(),
          });
        }
      }),
    );
    await waitFor(async () => (await sumOverWorkers(ports, 'pelita_reply_latency_seconds_count')) - before >= messages);
    return messages / ((performance.now() - started) / 1000);
  };
  // Completed jobs are kept (a sorted set) so that this process can count them cheaply.
  const rawRound = async (jobs: number): Promise<number> => {
    const target = (await queue.getCompletedCount()) + jobs;
    const started = performance.now();
    await Promise.all(Array.from({ length: jobs }, (_, n) => queue.add('noop', { n })));
    await waitFor(async () => (await queue.getCompletedCount()) >= target);
    return jobs / ((performance.now() - started) / 1000);
  };

  try {
    await pipelineRound('warmup', options.warmup);
    await rawRound(options.warmup);
    const pipelineRates: number[] = [];
    const rawRates: number[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      pipelineRates.push(await pipelineRound(`round${round}`, options.messages));
      rawRates.push(await rawRound(options.messages));
    }
    return { pipeline: median(pipelineRates), raw: median(rawRates) };
  } finally {
    await gateway.stop(1000);
    await queue.obliterate({ force: true });
    await queue.close();
    await connection.quit();
    for (const child of [...workers.map((worker) => worker.child), ...children]) child.kill('SIGTERM');
    await Promise.all([
      ...workers.map((worker) => worker.exited),
      ...children.map((child) => new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)))),
    ]);
  }
}
