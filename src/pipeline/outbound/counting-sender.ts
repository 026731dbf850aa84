import type { BeforeEachSend, ChannelSender, DeliveryResult } from '../../core/channel-sender.ts';
import type { OutboundBatch } from '../../core/messages/reply.ts';
import type { PelitaMetrics } from '../pelita-metrics.ts';

/** Counts what a channel delivered and how long after the message it answers. */
export class CountingSender implements ChannelSender {
  constructor(
    private readonly inner: ChannelSender,
    private readonly channel: string,
    private readonly metrics: PelitaMetrics,
  ) {}

  async deliver(batch: OutboundBatch, beforeEachSend?: BeforeEachSend): Promise<DeliveryResult> {
    const result = await this.inner.deliver(batch, beforeEachSend);
    if (result === 'delivered') countDelivered(this.metrics, this.channel, batch);
    return result;
  }
}

/** Counts a batch delivered by other means (written to the reply log with its turn). */
export function countDelivered(metrics: PelitaMetrics, channel: string, batch: OutboundBatch): void {
  metrics.messagesOut.inc({ channel }, batch.replies.length);
  if (batch.receivedAt) {
    const seconds = (Date.now() - Date.parse(batch.receivedAt)) / 1000;
    if (Number.isFinite(seconds) && seconds >= 0) metrics.replyLatency.observe({ channel }, seconds);
  }
}
