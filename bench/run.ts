/**
 * `npm run bench`: end-to-end pipeline throughput and latency, next to raw BullMQ on the
 * same Redis and process. Prints progress to stderr and one JSON object on its last line.
 * Not a test: figures vary with the machine; nothing here asserts a speed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { franc } from 'franc-min';
import { contentPaths, PACKAGE_ROOT } from '../src/app/content-paths.ts';
import { loadEngineContext } from '../src/app/load-engine-context.ts';
import { evaluateNlu, loadLabelledMessages } from '../src/nlu/evaluate-nlu.ts';
import { Nlu } from '../src/nlu/nlu.ts';
import { PelitaRuntime } from '../src/app/pelita-runtime.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { createLogger } from '../src/log/logger.ts';
import { findOnPath, startPrivateRedisServer } from '../src/redis/private-redis-server.ts';
import { freePort } from '../tests/harness/free-port.ts';
import { pipelineWithWorkerProcesses, rawBullmqWithWorkerProcesses } from './multi-process.ts';

const MESSAGES = 2000;
const CONVERSATIONS = 100;
const LATENCY_SAMPLES = 300;
const CONCURRENCY = 16;
/** One worker process per core of the 2-core machine the issue names. */
const WORKER_PROCESSES = 2;

const progress = (text: string) => process.stderr.write(`bench: ${text}\n`);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function main(): Promise<void> {
  const binary = findOnPath('redis-server');
  if (!binary) throw new Error('redis-server is not on PATH');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pelita-bench-'));
  const server = await startPrivateRedisServer({ binary, port: await freePort(), dataDir });
  try {
    const config = loadConfig({ REDIS_URL: server.url, REDIS_PREFIX: 'bench', WORKER_CONCURRENCY: String(CONCURRENCY), LOG_LEVEL: 'silent' });
    const log = createLogger({ level: 'silent', logMessages: false });
    // As `pelita start` runs it: with the NLU before the engine.
    const nlu = await Nlu.load(contentPaths.nlu);
    const runtime = await PelitaRuntime.start({ config, log, ctx: loadEngineContext(), role: 'all', http: false, nlu });
    const observer = new Redis(server.url);

    // Turns answered so far, from the runtime's own metrics: reading the reply logs to find
    // out would load Redis and the event loop with the very work being measured.
    const turnsAnswered = async () =>
      (await runtime.metrics.replyLatency.get()).values.find((value) => value.metricName === 'pelita_reply_latency_seconds_count')?.value ?? 0;
    const accept = (conversation: number, n: number, prefix: string) =>
      runtime.gateway.accept({
        channel: 'console',
        conversationId: `console:${prefix}-${conversation}`,
        messageId: `m${n}`,
        text: n % 2 === 0 ? 'halo' : '1',
        receivedAt: new Date().toISOString(),
      });

    progress(`pipeline: ${MESSAGES} messages from ${CONVERSATIONS} conversations`);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONVERSATIONS }, async (_, conversation) => {
        for (let n = 0; n < MESSAGES / CONVERSATIONS; n++) await accept(conversation, n, 'load');
      }),
    );
    while ((await turnsAnswered()) < MESSAGES) await sleep(2);
    const pipelineSeconds = (performance.now() - started) / 1000;
    const pipelineRate = MESSAGES / pipelineSeconds;

    progress(`latency: ${LATENCY_SAMPLES} messages at half the measured rate`);
    const gapMs = 1000 / (pipelineRate / 2);
    const latencies: number[] = [];
    await Promise.all(
      Array.from({ length: LATENCY_SAMPLES }, async (_, n) => {
        await sleep(n * gapMs);
        // One message per conversation, so the wait below sees only this message's answer.
        const conversationId = `console:latency-${n}`;
        const sent = performance.now();
        await accept(n, 0, 'latency');
        let cursor = '0';
        for (let ended = false; !ended; ) {
          const entries = await runtime.replyLog.wait(conversationId, cursor, 10_000);
          cursor = entries.at(-1)?.cursor ?? cursor;
          ended = entries.some((entry) => entry.type === 'turn-end');
        }
        latencies.push(performance.now() - sent);
      }),
    );
    latencies.sort((a, b) => a - b);

    const memoryBefore = Number((await observer.info('memory')).match(/used_memory:(\d+)/)?.[1] ?? 0);
    const sessions = (await observer.keys('bench:session:*')).length;
    // What one conversation keeps in Redis: its session, reply log and message ids, averaged
    // over the load conversations (20 turns each).
    let conversationBytes = 0;
    for (const key of await observer.keys('bench:*load-*')) conversationBytes += Number(await observer.memory('USAGE', key)) || 0;
    const bytesPerSession = Math.round(conversationBytes / CONVERSATIONS);
    await runtime.stop();

    progress(`raw BullMQ: ${MESSAGES} no-op jobs`);
    const connection = new Redis(server.url, { maxRetriesPerRequest: null });
    const raw = new Queue('raw', { connection, prefix: 'rawbench' });
    let done = 0;
    const rawStarted = performance.now();
    const worker = new Worker('raw', async () => void (done += 1), { connection: connection.duplicate(), prefix: 'rawbench', concurrency: CONCURRENCY });
    await Promise.all(Array.from({ length: MESSAGES }, (_, n) => raw.add('noop', { n }, { removeOnComplete: true })));
    while (done < MESSAGES) await sleep(5);
    const rawRate = MESSAGES / ((performance.now() - rawStarted) / 1000);
    await worker.close();
    await raw.close();
    await connection.quit();
    await observer.quit();

    progress(`the same with the work in ${WORKER_PROCESSES} worker processes`);
    const pipelineProcesses = await pipelineWithWorkerProcesses(server.url, WORKER_PROCESSES, MESSAGES, CONVERSATIONS, CONCURRENCY);
    const rawProcesses = await rawBullmqWithWorkerProcesses(server.url, WORKER_PROCESSES, MESSAGES, CONCURRENCY);

    progress('NLU: held-out messages, and franc for comparison on language');
    const heldOut = loadLabelledMessages(path.join(PACKAGE_ROOT, 'tests', 'nlu', 'heldout.yaml'));
    const nluMetrics = await evaluateNlu(nlu, heldOut);
    // franc (a general detector) on the same messages: ind for Indonesian, eng for English.
    const francCorrect = heldOut.filter((message) => franc(message.text, { minLength: 1 }) === (message.language === 'id' ? 'ind' : 'eng')).length;

    const result = {
      messages: MESSAGES,
      conversations: CONVERSATIONS,
      concurrency: CONCURRENCY,
      pipeline_msgs_per_s: Math.round(pipelineRate),
      raw_bullmq_jobs_per_s: Math.round(rawRate),
      ratio: Number((pipelineRate / rawRate).toFixed(2)),
      worker_processes: WORKER_PROCESSES,
      pipeline_msgs_per_s_processes: Math.round(pipelineProcesses),
      raw_bullmq_jobs_per_s_processes: Math.round(rawProcesses),
      ratio_processes: Number((pipelineProcesses / rawProcesses).toFixed(2)),
      p50_ms: Number(percentile(latencies, 50).toFixed(1)),
      p99_ms: Number(percentile(latencies, 99).toFixed(1)),
      redis_bytes_per_session: bytesPerSession,
      redis_used_memory_bytes: memoryBefore,
      sessions,
      nlu_messages: nluMetrics.messages,
      intent_accuracy: nluMetrics.intent_accuracy,
      emergency_recall: nluMetrics.emergency_recall,
      false_alarm_rate: nluMetrics.false_alarm_rate,
      language_accuracy: nluMetrics.language_accuracy,
      franc_language_accuracy: Math.round((francCorrect / heldOut.length) * 1000) / 1000,
      nlu_ms_per_message: nluMetrics.ms_per_message,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

await main();
process.exit(0);
