import type { OutboundBatch } from './messages/reply.ts';

/**
 * The outbound half of a channel: turns one turn's replies into platform calls. Called
 * from the channel's outbound queue, in order per conversation; it must be safe to call
 * again with the same batch after a crash (reply ids are stable for that).
 */
export interface ChannelSender {
  /**
   * `beforeEachSend`, when given, is awaited just before each call to the platform (after
   * every check and lookup): a sender that keeps its own pace (broadcasts) books its slot
   * there, so the slot is taken at the moment the platform sees the message.
   */
  deliver(batch: OutboundBatch, beforeEachSend?: BeforeEachSend): Promise<DeliveryResult>;
}

export type BeforeEachSend = () => Promise<void>;

/**
 * What became of a batch: handed to the platform; not sent because the person blocked
 * Pelita or the platform cannot reach them (nothing more should be tried); or not sent
 * because WhatsApp's 24-hour window is closed and there was no approved template to send.
 * Replies ignore it; broadcasts count it.
 */
export type DeliveryResult = 'delivered' | 'unreachable' | 'outside_window';
