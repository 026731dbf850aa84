import type { Api } from 'grammy';
import type { Update } from 'grammy/types';
import type { Redis } from 'ioredis';
import type { Logger } from '../../core/log/logger.ts';
import { InvalidInbound, type InboundGateway } from '../../pipeline/inbound-gateway.ts';
import { RedisLease } from '../../redis/redis-lease.ts';
import type { RedisKeys } from '../../redis/redis-keys.ts';
import { inboundFromUpdate } from './telegram-inbound.ts';
import { storedNumberOr } from '../../redis/stored-number.ts';

const LOCK_MS = 60_000;
/** Long-poll length; shorter than the lock, which is renewed after every poll. */
const POLL_SECONDS = 25;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

/**
 * Telegram updates into the pipeline, by long polling or through the webhook. Only one
 * process polls (a lock in Redis; the others stand by and take over if it dies), and the
 * offset moves past an update only once the gateway has queued it: a crash re-reads it,
 * and the gateway drops it as a duplicate.
 */
export class TelegramReceiver {
  private stopped = false;
  private readonly abort = new AbortController();
  private polling: Promise<void> | undefined;
  private readonly lease: RedisLease;

  constructor(
    private readonly deps: {
      api: Api;
      gateway: InboundGateway;
      redis: Redis;
      keys: RedisKeys;
      log: Logger;
      /** The operators' group: handled there when it returns true. */
      operatorUpdate?: ((update: Update) => Promise<boolean>) | undefined;
      /** Told of each update dropped as unreadable (for /metrics). */
      onInvalid?: (() => void) | undefined;
    },
  ) {
    this.lease = new RedisLease(deps.redis, deps.keys.telegramPoller(), LOCK_MS);
  }

  /** Queues one update (and answers a button press at once, so the spinner stops). */
  async handle(update: Update): Promise<void> {
    if (await this.deps.operatorUpdate?.(update)) return;
    let inbound: ReturnType<typeof inboundFromUpdate>;
    try {
      inbound = inboundFromUpdate(update, new Date().toISOString());
    } catch (error) {
      // A field Telegram always sends is missing or of another type ("chat": null).
      throw new InvalidInbound('telegram', error instanceof Error ? error.name : 'unreadable update');
    }
    if (inbound) {
      await this.deps.gateway.accept(inbound);
      // They wrote to us: whatever blocked the bot before has been undone.
      await this.deps.redis.del(this.deps.keys.unreachable(inbound.conversationId));
    }
    if (update.callback_query) {
      await this.deps.api.answerCallbackQuery(update.callback_query.id).catch((error: Error) => {
        this.deps.log.warn({ channel: 'telegram', err: error }, 'could not answer a button press');
      });
    }
  }

  startPolling(): void {
    this.polling ??= this.poll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.polling;
    await this.lease.release().catch(() => undefined);
  }

  private async poll(): Promise<void> {
    const { api, redis, keys, log } = this.deps;
    // grammY's Node typings name the abort-controller package's AbortSignal; Node's own is
    // the same thing at run time.
    const signal = this.abort.signal as unknown as Parameters<Api['getUpdates']>[1];
    let announced = false;
    let webhookCleared = false;
    while (!this.stopped) {
      try {
        if (!(await this.lease.renew())) {
          await sleep(5000);
          continue;
        }
        if (!announced) {
          log.info({ channel: 'telegram' }, 'polling Telegram for updates');
          announced = true;
        }
        // Telegram refuses getUpdates while a webhook is set.
        if (!webhookCleared) {
          await api.deleteWebhook({}, signal);
          webhookCleared = true;
        }
        const offset = storedNumberOr(await redis.get(keys.telegramOffset()), 0);
        const started = Date.now();
        const updates = await api.getUpdates({ offset, timeout: POLL_SECONDS, allowed_updates: [...ALLOWED_UPDATES] }, signal);
        for (const update of updates) {
          try {
            await this.handle(update);
          } catch (error) {
            // Skipped, or it would be fetched again and again, holding back every later update.
            if (!(error instanceof InvalidInbound)) throw error;
            this.deps.onInvalid?.();
            log.warn({ channel: 'telegram', err: error }, 'dropped an update Pelita cannot read');
          }
          await redis.set(keys.telegramOffset(), String(update.update_id + 1));
        }
        // A server that ignores `timeout` (a test emulator, some proxies) answers at once.
        if (updates.length === 0 && Date.now() - started < 1000) await sleep(300);
      } catch (error) {
        if (this.stopped) break;
        log.warn({ channel: 'telegram', err: error }, 'Telegram polling failed; trying again');
        await sleep(2000);
      }
    }
  }
}
