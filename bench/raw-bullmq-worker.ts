/**
 * One raw BullMQ no-op worker process, for the benchmark's multi-process comparison:
 * `node bin/run-ts.mjs bench/raw-bullmq-worker.ts <redis url> <prefix> <concurrency>`.
 * Prints "ready" once it takes jobs; exits on SIGTERM.
 */
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';

const [url, prefix, concurrency] = process.argv.slice(2);
const connection = new Redis(url!, { maxRetriesPerRequest: null });
const worker = new Worker('raw', async () => undefined, { connection, prefix: prefix!, concurrency: Number(concurrency) });
await worker.waitUntilReady();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void worker.close().then(() => process.exit(0));
});
