import { createHash } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../core/log/logger.ts';
import { closeBullmq } from '../redis/close-bullmq.ts';
import { workerConnection } from '../redis/redis-connection.ts';
import type { RedisKeys } from '../redis/redis-keys.ts';
import type { Case } from './case.ts';
import { CaseStore } from './case-store.ts';

/** Where case workers are told of cases and talk with people (a Telegram group). */
export interface OperatorChannel {
  /** Posts a case with a "claim" button; returns the message its thread hangs off. */
  postCase(found: Case, overdue: boolean): Promise<number>;
  /** Posts into a case's thread (the person's words, a claim, a resolution); returns its message. */
  postInThread(found: Case, text: string): Promise<number>;
}

export interface Operator {
  id: string;
  name: string;
}

/**
 * Sends an operator's words to the person, on their channel, or (`undefined`) the notice
 * that they are back with the bot. `replyId` makes a repeated delivery harmless.
 */
export type DeliverToPerson = (found: Case, replyId: string, operatorText: string | undefined) => Promise<void>;

type DeskJob =
  | { kind: 'notify'; caseId: string; overdue: boolean }
  | { kind: 'sla'; caseId: string; round: number }
  | { kind: 'relay'; caseId: string; text: string };

const QUEUE = 'operators';
/** Operators' notifications are retried for as long as it takes, a minute apart at most. */
const MAX_BACKOFF_MS = 60_000;

export class CaseActionError extends Error {
  constructor(
    message: string,
    readonly status: 403 | 404 | 409,
  ) {
    super(message);
    this.name = 'CaseActionError';
  }
}

/**
 * The case workers' side of an escalation: a turn that asks for a human opens a case in its
 * own commit (CaseStore.openCall); the desk announces each new case to the operators by a
 * job that retries until it gets through, an unclaimed case is
 * re-posted as overdue every `slaMs`, and while a case is claimed the person and the
 * operator talk through Pelita. Without an operator channel cases still open and are
 * listed (`pelita cases list`, GET /v1/cases).
 */
export class CaseDesk {
  readonly store: CaseStore;
  private readonly queue: Queue<DeskJob>;
  private worker: Worker<DeskJob> | undefined;
  private connection: Redis | undefined;
  private announcer: Redis | undefined;
  private announcing: Promise<void> | undefined;
  private closing = false;

  constructor(
    private readonly deps: {
      redis: Redis;
      /** The connection that adds BullMQ jobs (see jobsConnection); `redis` when not given. */
      jobsRedis?: Redis | undefined;
      keys: RedisKeys;
      log: Logger;
      slaMs: number;
      operators?: OperatorChannel | undefined;
      deliverToPerson: DeliverToPerson;
      /** Operators' sentences, in the language case workers read (the fallback language). */
      say: (key: string, values?: Record<string, string | number>) => string;
    },
  ) {
    this.store = new CaseStore(deps.redis, deps.keys);
    this.queue = new Queue<DeskJob>(QUEUE, {
      connection: deps.jobsRedis ?? deps.redis,
      prefix: deps.keys.bullPrefix,
      defaultJobOptions: { attempts: Number.MAX_SAFE_INTEGER, backoff: { type: 'capped' }, removeOnComplete: true, removeOnFail: false },
    });
    // BullMQ re-emits its connection's errors on the queue ("Connection is closed" when Pelita
    // stops while it still connects): without a listener Node would end the process on them.
    this.queue.on('error', (error) => deps.log.warn({ err: error }, 'case desk queue error'));
  }

  /** Schedules the notice of a newly opened case to the case workers, and its SLA check. */
  private async announce(id: string): Promise<void> {
    const found = await this.store.get(id);
    if (!found) return;
    // Kept a week once done, so that announcing the same case twice adds no second notice.
    const keep = { removeOnComplete: { age: 7 * 24 * 3600 } };
    await this.queue.add('notify', { kind: 'notify', caseId: id, overdue: false }, { jobId: `notify-${id}-0`, ...keep });
    await this.queue.add('sla', { kind: 'sla', caseId: id, round: 1 }, { jobId: `sla-${id}-1`, delay: this.deps.slaMs, ...keep });
    this.deps.log.warn({ caseId: id, reason: found.reason, channel: found.channel }, 'case opened');
  }

  /**
   * Announces the cases turns open (see CaseStore.openCall), one at a time, until closed.
   * A failure (Redis away) is logged and tried again a second later: the case stays listed.
   */
  private async announceOpened(blocking: Redis): Promise<void> {
    const { log } = this.deps;
    await this.store.requeueOpening().catch((error: unknown) => log.error({ err: error }, 'could not take back unannounced cases'));
    while (!this.closing) {
      try {
        const id = await this.store.takeOpened(blocking, 1);
        if (id === null) continue;
        await this.announce(id);
        await this.store.openedHandled(id);
      } catch (error) {
        if (this.closing) return;
        log.error({ err: error }, 'could not announce a new case; will retry');
        await new Promise((resolve) => setTimeout(resolve, 1000));
        await this.store.requeueOpening().catch(() => undefined);
      }
    }
  }

  async claim(id: string, operator: Operator): Promise<Case> {
    const found = await this.require(id);
    if (found.status === 'resolved') throw new CaseActionError(`case ${id} is resolved`, 409);
    if (found.status === 'claimed' && found.operator?.id !== operator.id)
      throw new CaseActionError(`case ${id} is claimed by ${found.operator?.name}`, 409);
    const claimed = await this.store.update(
      id,
      (current) => ({ ...current, status: 'claimed', operator, claimedAt: new Date().toISOString() }),
      { event: 'claimed', by: operator.id },
    );
    await this.tellOperators(claimed, this.deps.say('operators.claimed', { id, name: operator.name }));
    return claimed;
  }

  /** The claiming operator's words to the person. `replyId` makes a repeated call harmless. */
  async reply(id: string, operator: Operator, text: string, replyId: string): Promise<void> {
    const found = await this.require(id);
    if (found.status !== 'claimed' || found.operator?.id !== operator.id)
      throw new CaseActionError(`only the operator who claimed case ${id} can answer in it`, 403);
    await this.deps.deliverToPerson(found, replyId, text);
    await this.store.audit(id, { event: 'operator_replied', by: operator.id });
  }

  async resolve(id: string, operator: Operator): Promise<Case> {
    const found = await this.require(id);
    if (found.status === 'resolved') return found;
    if (found.status === 'claimed' && found.operator?.id !== operator.id)
      throw new CaseActionError(`case ${id} is claimed by ${found.operator?.name}`, 403);
    const resolved = await this.store.update(id, (current) => ({ ...current, status: 'resolved', resolvedAt: new Date().toISOString() }), {
      event: 'resolved',
      by: operator.id,
    });
    await this.deps.deliverToPerson(resolved, `resolved-${id}`, undefined);
    await this.tellOperators(resolved, this.deps.say('operators.resolved', { id, name: operator.name }));
    return resolved;
  }

  /**
   * A message from a person whose case is claimed goes to their operator instead of the
   * bot. Returns whether it did (the engine then stays out of the conversation).
   */
  /**
   * `activeCaseId`: the conversation's active-case pointer when the caller already read it
   * (its key is `keys.activeCase`; null: no case).
   */
  async relayFromPerson(
    conversationId: string,
    messageId: string,
    text: string | undefined,
    activeCaseId?: string | null,
  ): Promise<boolean> {
    if (activeCaseId === null) return false;
    const found = activeCaseId === undefined ? await this.store.activeFor(conversationId) : await this.store.getActive(activeCaseId);
    if (found?.status !== 'claimed') return false;
    await this.queue.add(
      'relay',
      { kind: 'relay', caseId: found.id, text: text ?? '' },
      { jobId: `relay-${createHash('sha256').update(`${conversationId}\n${messageId}`).digest('hex').slice(0, 20)}` },
    );
    return true;
  }

  process(): void {
    const { log } = this.deps;
    this.announcer = workerConnection(this.deps.redis);
    this.announcing = this.announceOpened(this.announcer);
    this.connection = workerConnection(this.deps.redis);
    this.worker = new Worker<DeskJob>(QUEUE, (job) => this.run(job.data), {
      connection: this.connection,
      prefix: this.deps.keys.bullPrefix,
      concurrency: 4,
      settings: { backoffStrategy: (attemptsMade: number) => Math.min(MAX_BACKOFF_MS, 500 * 2 ** attemptsMade) },
    });
    this.worker.on('failed', (job, error) =>
      log.error(
        { caseId: job?.data.caseId, kind: job?.data.kind, attempts: job?.attemptsMade, err: error },
        'could not reach the operators; will retry',
      ),
    );
    this.worker.on('error', (error) => log.error({ err: error }, 'operators worker error'));
  }

  async close(graceMs = 10_000): Promise<void> {
    this.closing = true;
    // The announcer waits on a blocking read: cut it short rather than wait out its timeout.
    this.announcer?.disconnect();
    await this.announcing;
    await closeBullmq({
      workers: this.worker ? [this.worker] : [],
      connections: this.connection ? [this.connection] : [],
      queue: this.queue,
      graceMs,
    });
  }

  private async run(job: DeskJob): Promise<void> {
    const found = await this.store.get(job.caseId);
    if (!found) return;
    const operators = this.deps.operators;
    switch (job.kind) {
      case 'notify': {
        if (found.status !== 'open' || !operators) return;
        // A first notice still retrying when the overdue one got through adds nothing.
        if (!job.overdue && found.notifiedAt) return;
        const messageId = await operators.postCase(found, job.overdue);
        await this.store.linkThread(messageId, found.id);
        await this.store.update(found.id, (current) => ({ ...current, notifiedAt: new Date().toISOString(), threadMessageId: messageId }), {
          event: job.overdue ? 'reposted' : 'notified',
          by: 'system',
        });
        return;
      }
      case 'sla': {
        if (found.status !== 'open') return;
        await this.store.update(found.id, (current) => ({ ...current, overdue: true }), { event: 'overdue', by: 'system' });
        this.deps.log.error(
          { caseId: found.id, minutes: Math.round(this.deps.slaMs / 60_000) },
          'case not claimed within the SLA; posting it again',
        );
        await this.queue.add('notify', { kind: 'notify', caseId: found.id, overdue: true }, { jobId: `notify-${found.id}-${job.round}` });
        await this.queue.add(
          'sla',
          { kind: 'sla', caseId: found.id, round: job.round + 1 },
          { jobId: `sla-${found.id}-${job.round + 1}`, delay: this.deps.slaMs },
        );
        return;
      }
      case 'relay':
        if (operators && found.status === 'claimed') {
          // Replying to the relayed message answers the person too.
          await this.store.linkThread(
            await operators.postInThread(found, this.deps.say('operators.person_says', { id: found.id, text: job.text })),
            found.id,
          );
        }
        return;
    }
  }

  private async tellOperators(found: Case, text: string): Promise<void> {
    // Best effort: the case is already changed and audited; a lost notice is not a lost case.
    await this.deps.operators
      ?.postInThread(found, text)
      .catch((error: Error) => this.deps.log.warn({ caseId: found.id, err: error }, 'could not post to the operators'));
  }

  private async require(id: string): Promise<Case> {
    const found = await this.store.get(id);
    if (!found) throw new CaseActionError(`no case ${id}`, 404);
    return found;
  }
}
