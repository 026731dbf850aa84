import { createHash } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger.ts';
import { closeBullmq } from '../queue/close-bullmq.ts';
import { workerConnection } from '../redis/redis-connection.ts';
import type { RedisKeys } from '../redis/redis-keys.ts';

export interface EscalationRequest {
  conversationId: string;
  /** The inbound message that led to it. */
  messageId: string;
  reason: string;
  language: string | undefined;
  requestedAt: string;
  /** Where the person is, when a flow learnt it. */
  country?: string;
  /** Where the person is, their stage and sector, as a case worker reads them. */
  situation?: Record<string, string>;
  /** The warning-signs screening's answers, when they took it (with their consent: it is their answer). */
  screening?: Record<string, string | number | boolean>;
}

const QUEUE = 'escalation';

/**
 * Requests for a human, as durable BullMQ jobs: queued in the same turn as the hotline
 * reply, never lost with a process, retried until handled. The job id comes from the
 * message and the effect's position, so a retried turn does not ask twice.
 */
export class EscalationQueue {
  private readonly queue: Queue<EscalationRequest>;
  private readonly workers: Worker<EscalationRequest>[] = [];
  private readonly connections: Redis[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    /** The connection that adds BullMQ jobs (see jobsConnection). */
    jobsRedis: Redis = redis,
  ) {
    this.queue = new Queue<EscalationRequest>(QUEUE, {
      connection: jobsRedis,
      prefix: keys.bullPrefix,
      defaultJobOptions: {
        attempts: 1_000,
        backoff: { type: 'exponential', delay: 1000 },
        // Kept as a record: a redelivered turn must find its request still there.
        removeOnComplete: { age: 30 * 24 * 3600 },
        removeOnFail: false,
      },
    });
  }

  async request(request: EscalationRequest, position: number): Promise<void> {
    const jobId = createHash('sha256').update(`${request.conversationId}\n${request.messageId}\n${position}`).digest('base64url');
    await this.queue.add(request.reason, request, { jobId });
  }

  /** Handles requests with `handle` (the case desk opens a case), retrying until it succeeds. */
  process(log: Logger, handle: (request: EscalationRequest) => Promise<void>): void {
    const connection = workerConnection(this.redis);
    this.connections.push(connection);
    const worker = new Worker<EscalationRequest>(
      QUEUE,
      async (job) => handle(job.data),
      { connection, prefix: this.keys.bullPrefix, concurrency: 4 },
    );
    worker.on('failed', (job, error) => log.error({ jobId: job?.id, err: error }, 'escalation not handled yet; will retry'));
    worker.on('error', (error) => log.error({ err: error }, 'escalation worker error'));
    this.workers.push(worker);
  }

  /** The requests kept for one conversation, oldest first. */
  async forConversation(conversationId: string): Promise<EscalationRequest[]> {
    const jobs = await this.queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed']);
    return jobs
      .filter((job) => job?.data.conversationId === conversationId)
      .sort((a, b) => a.timestamp - b.timestamp)
      .map((job) => job.data);
  }

  /** Replaces the conversation id in its requests with a pseudonym and drops what they said of the person; returns how many. */
  async anonymise(conversationId: string, pseudonym: string): Promise<number> {
    const jobs = await this.queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized']);
    let count = 0;
    for (const job of jobs) {
      if (job?.data.conversationId !== conversationId) continue;
      // Nothing that describes the person stays: not who, not where, not their answers.
      const { situation: _situation, country: _country, screening: _screening, ...kept } = job.data;
      await job.updateData({ ...kept, conversationId: pseudonym });
      count += 1;
    }
    return count;
  }

  /** How many requests there are, by state: for health checks and tests. */
  async counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
  }

  async close(graceMs = 10_000): Promise<void> {
    await closeBullmq({ workers: this.workers, connections: this.connections, queue: this.queue, graceMs });
  }
}
