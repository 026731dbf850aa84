import type { ChannelSender } from '../channels/channel-sender.ts';
import type { OutboundBatch } from '../messages/reply.ts';
import type { PelitaMetrics } from '../metrics/pelita-metrics.ts';

/** Counts what a channel delivered and how long after the message it answers. */
export class CountingSender implements ChannelSender {
  constructor(
    private readonly inner: ChannelSender,
    private readonly channel: string,
    private readonly metrics: PelitaMetrics,
  ) {}

  async deliver(batch: OutboundBatch): Promise<void> {
    await this.inner.deliver(batch);
    this.metrics.messagesOut.inc({ channel: this.channel }, batch.replies.length);
    if (batch.receivedAt) {
      const seconds = (Date.now() - Date.parse(batch.receivedAt)) / 1000;
      if (Number.isFinite(seconds) && seconds >= 0) this.metrics.replyLatency.observe({ channel: this.channel }, seconds);
    }
  }
}
