import type { Redis } from 'ioredis';
import type { Translator } from '../../content/translator.ts';
import type { Logger } from '../../core/log/logger.ts';
import type { MessageTemplate, OutboundBatch } from '../../core/messages/reply.ts';
import { RetryAfterError } from '../../core/retry-after-error.ts';
import type { RedisKeys } from '../../redis/redis-keys.ts';
import type { BeforeEachSend, ChannelSender, DeliveryResult } from '../../core/channel-sender.ts';
import { renderForCloud, type CloudMessage } from './whatsapp-cloud-render.ts';
import { storedNumberOr } from '../../redis/stored-number.ts';
import { markSent } from '../../redis/mark-sent.ts';

/** WhatsApp's customer-service window: free-form messages only within 24 hours of the person's last message. */
export const SERVICE_WINDOW_MS = 24 * 3600 * 1000;

/** Throughput errors: 130429 (the number's rate), 131056 (too many to one person); 80007 (the account's). */
const BACKOFF_MS: Record<number, number> = { 130429: 2000, 131056: 6000, 80007: 5000 };
/** 131026: the message cannot be delivered to this number (not on WhatsApp, or it cannot receive it). Trying again will not help. */
const UNDELIVERABLE = 131026;

export interface CloudApiSettings {
  base: string;
  phoneNumberId: string;
  accessToken: string;
  /** An approved template (name and language) for people outside the window, if any. */
  template?: MessageTemplate | undefined;
}

/**
 * Sends through Meta's Cloud API: POST /<phone-number-id>/messages. Within the 24-hour
 * window a turn's replies go as they are (buttons, lists or text); outside it only the
 * batch's template (a broadcast's own) or the configured one is sent, once per turn, or nothing (and a warning). Each
 * message accepted is marked, so a retried batch skips it; throughput errors become
 * RetryAfterError (the paced sender pauses and sends again).
 */
export class WhatsAppCloudSender implements ChannelSender {
  constructor(
    private readonly deps: {
      settings: CloudApiSettings;
      redis: Redis;
      keys: RedisKeys;
      translator: Translator;
      log: Logger;
      rememberSeconds: number;
    },
  ) {}

  async deliver(batch: OutboundBatch, beforeEachSend?: BeforeEachSend): Promise<DeliveryResult> {
    const { redis, keys, translator, log, settings } = this.deps;
    const to = batch.conversationId.slice('whatsapp-cloud:'.length);
    const lastInbound = storedNumberOr(await redis.get(keys.whatsappLastInbound(batch.conversationId)), 0);
    const inWindow = Date.now() - lastInbound < SERVICE_WINDOW_MS;
    if (!inWindow) {
      const chosen = batch.template ?? settings.template;
      if (!chosen) {
        log.warn(
          { channel: 'whatsapp-cloud' },
          'outside the 24-hour window and no approved template is set (WHATSAPP_CLOUD_TEMPLATE): the replies were not sent',
        );
        return 'outside_window';
      }
      return this.sendOnce(batch.conversationId, `${batch.inReplyTo}#template`, to, templateMessage(chosen), batch.tag, beforeEachSend);
    }
    const language = batch.language ?? translator.fallback;
    for (const reply of batch.replies) {
      for (const [part, message] of renderForCloud(reply, translator.t('whatsapp.list_button', language)).entries()) {
        if ((await this.sendOnce(batch.conversationId, `${reply.id}#${part}`, to, message, batch.tag, beforeEachSend)) === 'unreachable')
          return 'unreachable';
      }
    }
    return 'delivered';
  }

  private async sendOnce(
    conversationId: string,
    partId: string,
    to: string,
    message: CloudMessage | Record<string, unknown>,
    /** Meta echoes it in the message's status webhooks: how a broadcast learns what was delivered and read. */
    tag?: string,
    beforeEachSend?: BeforeEachSend,
  ): Promise<DeliveryResult> {
    const { redis, keys, settings, rememberSeconds } = this.deps;
    const mark = keys.delivered('whatsapp-cloud', conversationId, partId);
    if ((await redis.exists(mark)) === 1) return 'delivered';
    await beforeEachSend?.();
    const response = await fetch(`${settings.base}/${settings.phoneNumberId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${settings.accessToken}` },
      body: JSON.stringify({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to,
        ...message,
        ...(tag ? { biz_opaque_callback_data: tag } : {}),
      }),
      signal: AbortSignal.timeout(15_000),
    });
    const answer = (await response.json().catch(() => ({}))) as { error?: { code?: number; message?: string } };
    if (!response.ok) {
      const code = answer.error?.code ?? 0;
      if (BACKOFF_MS[code] !== undefined || response.status === 429)
        throw new RetryAfterError(BACKOFF_MS[code] ?? 2000, `Cloud API throughput error ${code}`);
      if (code === UNDELIVERABLE) return 'unreachable';
      throw new Error(`Cloud API answered HTTP ${response.status} (error ${code})`);
    }
    await markSent(redis, mark, rememberSeconds);
    return 'delivered';
  }
}

/** A template message: its body parameters as text, when it has any. */
function templateMessage(template: MessageTemplate): Record<string, unknown> {
  const parameters = template.parameters ?? [];
  return {
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      ...(parameters.length > 0 ? { components: [{ type: 'body', parameters: parameters.map((text) => ({ type: 'text', text })) }] } : {}),
    },
  };
}
