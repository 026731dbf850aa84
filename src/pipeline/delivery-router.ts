import type { Case } from '../cases/case.ts';
import type { Translator } from '../content/translator.ts';
import { type Channel, channelOf } from '../core/messages/channel.ts';
import type { OutboundBatch } from '../core/messages/reply.ts';
import type { Completion, ConversationQueue } from '../redis/conversation-queue.ts';
import { countDelivered, CountingSender } from './outbound/counting-sender.ts';
import type { PelitaMetrics } from './pelita-metrics.ts';
import type { ReplyLog } from './reply-log/reply-log.ts';
import { ReplyLogSender } from './reply-log/reply-log-sender.ts';

/**
 * How a reply reaches a person on their channel, for the engine worker and the case desk
 * alike. Channels whose clients fetch their replies (the console, HTTP without a callback)
 * are "pull": the reply log is durable, ordered and drops a batch it already has, so their
 * replies are written straight into it (with the turn, when a turn writes them). Push
 * platforms get an outbound queue (pacing, retries, 429s) drained by a sender in a gateway
 * process; an urgent batch (hotlines) goes on its urgent lane.
 */
export class DeliveryRouter {
  private readonly pullSenders: Partial<Record<Channel, CountingSender>> = {};

  constructor(
    private readonly deps: {
      replyLog: ReplyLog;
      metrics: PelitaMetrics;
      /** The outbound queue of a push channel. */
      outboundFor: (channel: Channel) => ConversationQueue<OutboundBatch>;
      /** HTTP replies are pushed to this callback when set, instead of being fetched. */
      httpCallbackUrl: string | undefined;
      translator: Translator;
    },
  ) {}

  /** Channels whose replies live in the reply log only. */
  isPull(channel: Channel): boolean {
    return channel === 'console' || (channel === 'http' && this.deps.httpCallbackUrl === undefined);
  }

  /** Hands a batch to its channel. Idempotent for a batch: reply ids are stable. */
  deliver(batch: OutboundBatch): Promise<void> {
    const channel = channelOf(batch.conversationId);
    if (this.isPull(channel)) {
      this.pullSenders[channel] ??= new CountingSender(new ReplyLogSender(this.deps.replyLog), channel, this.deps.metrics);
      return this.pullSenders[channel].deliver(batch).then(() => undefined);
    }
    return this.deps
      .outboundFor(channel)
      .enqueue(batch.conversationId, { id: batch.inReplyTo, payload: batch }, { lane: batch.urgent === true ? 'urgent' : 'ready' })
      .then(() => undefined);
  }

  /**
   * For a pull channel, the reply-log write that a turn carries in its own atomic step (and
   * counts as delivered once stored); undefined for a push channel, which needs `deliver`.
   */
  turnWrite(batch: OutboundBatch): Completion | undefined {
    const channel = channelOf(batch.conversationId);
    if (!this.isPull(channel)) return undefined;
    return { write: this.deps.replyLog.appendCall(batch), onAcknowledged: () => countDelivered(this.deps.metrics, channel, batch) };
  }

  /** A case worker's words (or the hand-back notice) to the person, in their language. */
  async toPerson(found: Case, replyId: string, operatorText: string | undefined): Promise<void> {
    // After "delete my data" the case no longer knows who it was for.
    if (found.conversationId.startsWith('deleted:')) return;
    const { translator } = this.deps;
    const language = found.language ?? translator.fallback;
    const text =
      operatorText === undefined
        ? translator.t('cases.handed_back', language)
        : translator.t('cases.operator_says', language, { text: operatorText });
    const inReplyTo = `case-${found.id}-${replyId}`;
    await this.deliver({ conversationId: found.conversationId, inReplyTo, language, replies: [{ id: `${inReplyTo}:1`, inReplyTo, text }] });
  }
}
