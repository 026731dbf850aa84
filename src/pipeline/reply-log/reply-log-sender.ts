import type { OutboundBatch } from '../../core/messages/reply.ts';
import type { BeforeEachSend, ChannelSender, DeliveryResult } from '../../core/channel-sender.ts';
import type { ReplyLog } from './reply-log.ts';

/** Delivers to channels whose clients fetch their replies (HTTP, console): append to the log. */
export class ReplyLogSender implements ChannelSender {
  constructor(
    private readonly log: ReplyLog,
    private readonly afterAppend?: (batch: OutboundBatch, beforeEachSend?: BeforeEachSend) => Promise<unknown>,
  ) {}

  async deliver(batch: OutboundBatch, beforeEachSend?: BeforeEachSend): Promise<DeliveryResult> {
    await this.log.append(batch);
    // Also after a re-delivery: the callback queue's job ids make a second add harmless,
    // and it covers a crash between the append and the callback.
    await this.afterAppend?.(batch, beforeEachSend);
    return 'delivered';
  }
}
