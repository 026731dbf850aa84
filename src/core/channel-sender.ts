import type { OutboundBatch } from './messages/reply.ts';

/**
 * The outbound half of a channel: turns one turn's replies into platform calls. Called
 * from the channel's outbound queue, in order per conversation; it must be safe to call
 * again with the same batch after a crash (reply ids are stable for that).
 */
export interface ChannelSender {
  deliver(batch: OutboundBatch): Promise<void>;
}
