import { createHash } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../../log/logger.ts';
import { workerConnection } from '../../redis/redis-connection.ts';
import { closeBullmq } from '../../queue/close-bullmq.ts';
import type { AddressedReply } from '../../messages/reply.ts';
import type { RedisKeys } from '../../redis/redis-keys.ts';

export interface CallbackJob {
  to: string;
  reply: AddressedReply;
}

const QUEUE = 'http-callback';

/**
 * POSTs each reply to HTTP_CALLBACK_URL, as its own BullMQ job with retries, so a partner
 * system that is briefly down still gets every reply. The job id comes from the reply id:
 * queuing the same reply twice sends it once; receivers should still de-duplicate by `id`.
 */
export class HttpCallbackQueue {
  private readonly queue: Queue<CallbackJob>;
  private worker: Worker<CallbackJob> | undefined;
  private workerRedis: Redis | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    this.queue = new Queue<CallbackJob>(QUEUE, {
      connection: redis,
      prefix: keys.bullPrefix,
      defaultJobOptions: {
        attempts: 15,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { age: 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    });
  }

  async add(job: CallbackJob): Promise<void> {
    const jobId = createHash('sha256').update(`http\n${job.to}\n${job.reply.id}`).digest('base64url');
    await this.queue.add('post', job, { jobId });
  }

  process(url: string, token: string | undefined, log: Logger): void {
    this.workerRedis = workerConnection(this.redis);
    this.worker = new Worker<CallbackJob>(
      QUEUE,
      async (job) => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ to: job.data.to, ...job.data.reply }),
          signal: AbortSignal.timeout(10_000),
        });
        if (!response.ok) throw new Error(`callback answered HTTP ${response.status}`);
      },
      { connection: this.workerRedis, prefix: this.keys.bullPrefix, concurrency: 8 },
    );
    this.worker.on('failed', (job, error) => log.warn({ jobId: job?.id, err: error.message }, 'reply callback failed; will retry'));
    this.worker.on('error', (error) => log.error({ err: error.message }, 'callback worker error'));
  }

  /** Lets deliveries in flight finish for up to `graceMs`, then closes (see closeBullmq). */
  async close(graceMs = 10_000): Promise<void> {
    await closeBullmq({
      workers: this.worker ? [this.worker] : [],
      connections: this.workerRedis ? [this.workerRedis] : [],
      queue: this.queue,
      graceMs,
    });
  }
}
