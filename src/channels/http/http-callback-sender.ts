import type { Redis } from 'ioredis';
import type { AddressedReply, OutboundBatch } from '../../core/messages/reply.ts';
import type { RedisKeys } from '../../redis/redis-keys.ts';
import { RetryAfterError, retryAfterMs } from '../../core/retry-after-error.ts';
import type { BeforeEachSend, ChannelSender, DeliveryResult } from '../../core/channel-sender.ts';
import { markSent } from '../../redis/mark-sent.ts';

/**
 * POSTs each reply of a turn to HTTP_CALLBACK_URL, in order. A reply the partner accepted
 * is marked in Redis, so a batch sent again (after a failure, a 429 or a crash) skips it;
 * receivers should still de-duplicate by `id`, since a crash can fall between the POST and
 * the mark. 429 -> RetryAfterError (the paced sender waits); other failures throw and the
 * outbound queue retries with backoff.
 */
export class HttpCallbackSender implements ChannelSender {
  constructor(private readonly deps: { url: string; token: string | undefined; redis: Redis; keys: RedisKeys; rememberSeconds: number }) {}

  async deliver(batch: OutboundBatch, beforeEachSend?: BeforeEachSend): Promise<DeliveryResult> {
    const to = batch.conversationId.slice('http:'.length);
    for (const reply of batch.replies) {
      const mark = this.deps.keys.delivered('http-callback', batch.conversationId, reply.id);
      if ((await this.deps.redis.exists(mark)) === 1) continue;
      await beforeEachSend?.();
      await this.post(to, reply);
      await markSent(this.deps.redis, mark, this.deps.rememberSeconds);
    }
    return 'delivered';
  }

  private async post(to: string, reply: AddressedReply): Promise<void> {
    const { url, token } = this.deps;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ to, ...reply }),
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel();
    if (response.status === 429) throw new RetryAfterError(retryAfterMs(response.headers.get('retry-after')));
    if (!response.ok) throw new Error(`callback answered HTTP ${response.status}`);
  }
}
