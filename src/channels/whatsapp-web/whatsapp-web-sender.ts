import type { Client } from 'whatsapp-web.js';
import type { Redis } from 'ioredis';
import type { OutboundBatch } from '../../core/messages/reply.ts';
import type { RedisKeys } from '../../redis/redis-keys.ts';
import type { BeforeEachSend, ChannelSender, DeliveryResult } from '../../core/channel-sender.ts';
import { chatIdOf } from './whatsapp-web-inbound.ts';
import { renderForWhatsAppWeb } from './whatsapp-web-render.ts';
import { markSent } from '../../redis/mark-sent.ts';

/** How long a sent reply is remembered: as long as a message id is (DEDUPE_TTL_HOURS' default). */
const REMEMBER_SECONDS = 72 * 3600;

/**
 * Sends a turn's replies through the logged-in whatsapp-web.js client, in order. Each reply
 * sent is marked in Redis, so a batch sent again (after an error or a crash) skips what
 * arrived; a long reply's parts are marked one by one too, so a retry never repeats a part.
 * With no client ready (waiting for the QR code, reconnecting, or another process holds
 * the number) it throws: the outbound queue keeps the batch and tries again later.
 */
export class WhatsAppWebSender implements ChannelSender {
  constructor(private readonly deps: { readyClient: () => Client | undefined; redis: Redis; keys: RedisKeys }) {}

  async deliver(batch: OutboundBatch, beforeEachSend?: BeforeEachSend): Promise<DeliveryResult> {
    const { redis, keys } = this.deps;
    const chatId = chatIdOf(batch.conversationId);
    for (const reply of batch.replies) {
      const replyMark = keys.delivered('whatsapp-web', batch.conversationId, reply.id);
      if ((await redis.exists(replyMark)) === 1) continue;
      const parts = renderForWhatsAppWeb(reply);
      for (const [index, text] of parts.entries()) {
        // The last part's mark is the reply's own.
        const partMark =
          index === parts.length - 1 ? replyMark : keys.delivered('whatsapp-web', batch.conversationId, `${reply.id}#${index}`);
        if (partMark !== replyMark && (await redis.exists(partMark)) === 1) continue;
        await beforeEachSend?.();
        await this.send(chatId, text);
        await markSent(redis, partMark, REMEMBER_SECONDS);
      }
    }
    return 'delivered';
  }

  private async send(chatId: string, text: string): Promise<void> {
    const client = this.deps.readyClient();
    if (!client) throw new Error('WhatsApp Web is not connected; the reply waits in the queue');
    const sent = await client.sendMessage(chatId, text);
    // whatsapp-web.js answers undefined instead of throwing when WhatsApp Web has no such chat.
    if (!sent) throw new Error('WhatsApp Web did not send the message');
  }
}
