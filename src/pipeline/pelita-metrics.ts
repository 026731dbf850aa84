import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueObserver } from '../redis/conversation-queue.ts';

/** What a queue reports about its backlog when /metrics is scraped. */
export interface QueueDepth {
  ready: number;
  conversations: number;
}

export interface QueueDepthSource {
  readonly name: string;
  depth(): Promise<QueueDepth>;
}

/**
 * Pelita's Prometheus metrics, one registry per process (every process serves its own
 * /metrics; Prometheus adds them up). Labels never carry a person's id or text.
 */
export class PelitaMetrics implements QueueObserver {
  readonly registry = new Registry();
  readonly messagesIn: Counter<'channel'>;
  readonly duplicatesIn: Counter<'channel'>;
  readonly messagesOut: Counter<'channel'>;
  readonly replyLatency: Histogram<'channel'>;
  readonly handling: Histogram<'queue'>;
  readonly failures: Counter<'queue'>;
  readonly deadLetters: Counter<'queue'>;
  readonly invalidIn: Counter<'channel'>;
  readonly limitedIn: Counter<'channel'>;
  readonly escalations: Counter<'reason'>;
  readonly retryAfterPauses: Counter<'channel'>;
  readonly broadcastRecipients: Counter<'broadcast' | 'channel' | 'outcome'>;
  private readonly queues: QueueDepthSource[] = [];

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'pelita_process_' });
    this.messagesIn = new Counter({
      name: 'pelita_messages_in_total',
      help: 'Messages accepted from people, by channel',
      labelNames: ['channel'],
      registers,
    });
    this.limitedIn = new Counter({
      name: 'pelita_messages_limited_total',
      help: 'Messages dropped by the inbound limits (a sender past theirs, or new conversations past the cap), by channel',
      labelNames: ['channel'],
      registers,
    });
    this.invalidIn = new Counter({
      name: 'pelita_messages_invalid_total',
      help: 'Platform updates dropped as unreadable (acknowledged, never retried), by channel',
      labelNames: ['channel'],
      registers,
    });
    this.duplicatesIn = new Counter({
      name: 'pelita_messages_duplicate_total',
      help: 'Redelivered messages dropped, by channel',
      labelNames: ['channel'],
      registers,
    });
    this.messagesOut = new Counter({
      name: 'pelita_messages_out_total',
      help: 'Replies handed to a channel, by channel',
      labelNames: ['channel'],
      registers,
    });
    this.replyLatency = new Histogram({
      name: 'pelita_reply_latency_seconds',
      help: 'From a message received to its replies handed to the channel',
      labelNames: ['channel'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.handling = new Histogram({
      name: 'pelita_queue_item_seconds',
      help: 'Time to handle one queued item (engine turn, or delivery), by queue',
      labelNames: ['queue'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers,
    });
    this.failures = new Counter({
      name: 'pelita_queue_failures_total',
      help: 'Failed attempts (retried), by queue',
      labelNames: ['queue'],
      registers,
    });
    this.deadLetters = new Counter({
      name: 'pelita_dead_letters_total',
      help: 'Items set aside after failing too often, by queue',
      labelNames: ['queue'],
      registers,
    });
    this.escalations = new Counter({
      name: 'pelita_escalations_total',
      help: 'Escalations requested, by reason',
      labelNames: ['reason'],
      registers,
    });
    this.broadcastRecipients = new Counter({
      name: 'pelita_broadcast_recipients_total',
      help: 'Broadcast recipients by what became of them (sent, failed, skipped:<reason>), by broadcast and channel',
      labelNames: ['broadcast', 'channel', 'outcome'],
      registers,
    });
    this.retryAfterPauses = new Counter({
      name: 'pelita_rate_limited_total',
      help: 'Times a platform answered "too many requests" and sending paused, by channel',
      labelNames: ['channel'],
      registers,
    });
    const queues = this.queues;
    const depthGauge = (name: string, help: string, pick: (depth: QueueDepth) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['queue'],
        registers,
        async collect() {
          this.reset();
          for (const queue of queues) {
            const depth = await queue.depth().catch(() => undefined);
            if (depth) this.set({ queue: queue.name }, pick(depth));
          }
        },
      });
    depthGauge('pelita_queue_ready', 'Conversations waiting for a drainer, by queue', (depth) => depth.ready);
    depthGauge(
      'pelita_queue_conversations_waiting',
      'Conversations with items waiting in their inbox, by queue',
      (depth) => depth.conversations,
    );
  }

  watch(queue: QueueDepthSource): void {
    if (this.queues.includes(queue)) return;
    this.queues.push(queue);
    // Shown as 0 from the start, so that a dashboard (or a test) can tell none from unknown.
    this.failures.inc({ queue: queue.name }, 0);
    this.deadLetters.inc({ queue: queue.name }, 0);
  }

  handled(queue: string, seconds: number): void {
    this.handling.observe({ queue }, seconds);
  }

  failed(queue: string): void {
    this.failures.inc({ queue });
  }

  deadLettered(queue: string): void {
    this.deadLetters.inc({ queue });
  }
}
