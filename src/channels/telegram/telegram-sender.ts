import { GrammyError, type Api } from 'grammy';
import type { Redis } from 'ioredis';
import type { Logger } from '../../core/log/logger.ts';
import type { OutboundBatch } from '../../core/messages/reply.ts';
import { RetryAfterError } from '../../core/retry-after-error.ts';
import type { RedisKeys } from '../../redis/redis-keys.ts';
import type { BeforeEachSend, ChannelSender, DeliveryResult } from '../../core/channel-sender.ts';
import { renderForTelegram } from './telegram-render.ts';
import { markSent } from '../../redis/mark-sent.ts';

/** How long a blocked bot stays quiet towards that person (they can unblock and write again). */
const UNREACHABLE_SECONDS = 90 * 24 * 3600;

/**
 * Sends a turn's replies with grammY's Api, in order. Each Telegram message sent is marked
 * in Redis, so a batch sent again (after a 429, an error or a crash) skips what arrived.
 * 429 -> RetryAfterError with Telegram's `retry_after` (the paced sender waits and sends
 * again); 403 (the person blocked the bot) -> the contact is marked unreachable and the
 * batch is dropped, without retries; anything else throws and the queue retries it.
 */
export class TelegramSender implements ChannelSender {
  constructor(private readonly deps: { api: Api; redis: Redis; keys: RedisKeys; rememberSeconds: number; log: Logger }) {}

  async deliver(batch: OutboundBatch, beforeEachSend?: BeforeEachSend): Promise<DeliveryResult> {
    const { api, redis, keys, rememberSeconds, log } = this.deps;
    const chatId = batch.conversationId.slice('telegram:'.length);
    if ((await redis.exists(keys.unreachable(batch.conversationId))) === 1) return 'unreachable';
    for (const reply of batch.replies) {
      for (const [part, message] of renderForTelegram(reply).entries()) {
        const mark = keys.delivered('telegram', batch.conversationId, `${reply.id}#${part}`);
        if ((await redis.exists(mark)) === 1) continue;
        await beforeEachSend?.();
        try {
          await api.sendMessage(chatId, message.html, {
            parse_mode: 'HTML',
            link_preview_options: { is_disabled: true },
            ...(message.keyboard ? { reply_markup: message.keyboard } : {}),
          });
        } catch (error) {
          if (error instanceof GrammyError && error.error_code === 429) {
            throw new RetryAfterError((error.parameters.retry_after ?? 1) * 1000);
          }
          if (error instanceof GrammyError && error.error_code === 403) {
            await redis.set(keys.unreachable(batch.conversationId), '1', 'EX', UNREACHABLE_SECONDS);
            log.warn({ channel: 'telegram' }, 'the person blocked the bot; their replies are dropped');
            return 'unreachable';
          }
          throw error;
        }
        await markSent(redis, mark, rememberSeconds);
      }
    }
    return 'delivered';
  }
}
