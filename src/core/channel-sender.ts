import type { OutboundBatch } from './messages/reply.ts';

/**
 * The outbound half of a channel: turns one turn's replies into platform calls. Called
 * from the channel's outbound queue, in order per conversation; it must be safe to call
 * again with the same batch after a crash (reply ids are stable for that).
 */
export interface ChannelSender {
  deliver(batch: OutboundBatch): Promise<DeliveryResult>;
}

/**
 * What became of a batch: handed to the platform; not sent because the person blocked
 * Pelita or the platform cannot reach them (nothing more should be tried); or not sent
 * because WhatsApp's 24-hour window is closed and there was no approved template to send.
 * Replies ignore it; broadcasts count it.
 */
export type DeliveryResult = 'delivered' | 'unreachable' | 'outside_window';
