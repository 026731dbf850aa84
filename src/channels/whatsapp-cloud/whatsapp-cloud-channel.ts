import type { ChannelModule, Pace } from '../channel-module.ts';
import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Translator } from '../../content/translator.ts';
import type { Logger } from '../../core/log/logger.ts';
import { conversationIdOf } from '../../core/messages/channel.ts';
import { InvalidInbound, type InboundGateway } from '../../pipeline/inbound-gateway.ts';
import type { RedisKeys } from '../../redis/redis-keys.ts';
import { sameSecret } from '../../core/same-secret.ts';
import { inboundFromCloudMessage, unpack, webhookPayloadSchema, type DeliveryStatus } from './whatsapp-cloud-inbound.ts';
import { SERVICE_WINDOW_MS, WhatsAppCloudSender, type CloudApiSettings } from './whatsapp-cloud-sender.ts';
import { storedNumberOr } from '../../redis/stored-number.ts';

export const WHATSAPP_WEBHOOK_PATH = '/webhooks/whatsapp';
/** Delivery statuses are kept a week: enough to see what reached whom, not a history. */
const STATUS_SECONDS = 7 * 24 * 3600;

export interface WhatsAppCloudChannel extends ChannelModule {
  /** GET and POST /webhooks/whatsapp. */
  addRoutes(app: FastifyInstance): void;
}

/** Meta signs the raw body: HMAC-SHA256 with the app secret, as `sha256=<hex>`. */
export function signatureMatches(raw: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!header?.startsWith('sha256=')) return false;
  return sameSecret(Buffer.from(header.slice('sha256='.length), 'hex'), createHmac('sha256', appSecret).update(raw).digest());
}

/**
 * WhatsApp through Meta's Cloud API: the webhook (verification handshake, signed
 * deliveries of messages and statuses) and the sender.
 */
export function createWhatsAppCloudChannel(deps: {
  /** `maxMessageAgeMs`: older messages (a replay, or a retry past Meta's own horizon) are acknowledged and dropped. */
  settings: CloudApiSettings & { appSecret: string; verifyToken: string; maxMessageAgeMs: number; perSecond: number };
  gateway: InboundGateway;
  redis: Redis;
  keys: RedisKeys;
  translator: Translator;
  log: Logger;
  rememberSeconds: number;
  /** Told of each message dropped as unreadable (for /metrics). */
  onInvalid?: (() => void) | undefined;
  /** Told of each status of a tagged message (a broadcast's): sent, delivered, read or failed. */
  onTaggedStatus?: ((tag: string, conversationId: string, status: DeliveryStatus['status']) => Promise<void>) | undefined;
  pace: Pace;
  /** How many messages may go at once before the pace applies. */
  outboundBurst: number;
}): WhatsAppCloudChannel {
  const { settings, redis, keys, log } = deps;
  const sender = new WhatsAppCloudSender({
    settings,
    redis,
    keys,
    translator: deps.translator,
    log,
    rememberSeconds: deps.rememberSeconds,
  });

  const recordStatus = async (status: DeliveryStatus) => {
    const key = keys.whatsappStatuses(conversationIdOf('whatsapp-cloud', status.recipient_id));
    await redis.hset(key, status.id, status.status);
    await redis.expire(key, STATUS_SECONDS);
    if (status.biz_opaque_callback_data) {
      await deps.onTaggedStatus?.(status.biz_opaque_callback_data, conversationIdOf('whatsapp-cloud', status.recipient_id), status.status);
    }
    if (status.status === 'failed')
      log.warn({ channel: 'whatsapp-cloud', codes: status.errors?.map((error) => error.code) }, 'WhatsApp could not deliver a message');
  };

  return {
    channel: 'whatsapp-cloud',
    sender: deps.pace('whatsapp-cloud', sender, {
      channel: { perSecond: settings.perSecond, burst: deps.outboundBurst },
      conversation: { perSecond: 1, burst: deps.outboundBurst },
    }),
    addRoutes(app) {
      app.get<{ Querystring: Record<string, string | undefined> }>(WHATSAPP_WEBHOOK_PATH, async (request, reply) => {
        const query = request.query;
        if (query['hub.mode'] !== 'subscribe' || !sameSecret(query['hub.verify_token'], settings.verifyToken)) {
          return reply.status(403).send({ error: 'wrong verify token' });
        }
        return reply.type('text/plain').send(query['hub.challenge'] ?? '');
      });

      // The signature is over the exact bytes Meta sent: this route reads the body raw.
      void app.register(async (scope) => {
        scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
        scope.post(WHATSAPP_WEBHOOK_PATH, async (request, reply) => {
          const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
          if (!signatureMatches(raw, request.headers['x-hub-signature-256'] as string | undefined, settings.appSecret)) {
            return reply.status(401).send({ error: 'missing or wrong X-Hub-Signature-256' });
          }
          let json: unknown;
          try {
            json = JSON.parse(raw.toString('utf8'));
          } catch {
            return reply.status(400).send({ error: 'body is not JSON' });
          }
          const payload = webhookPayloadSchema.safeParse(json);
          if (!payload.success) return reply.status(400).send({ error: 'not a WhatsApp Business Account webhook payload' });
          const { messages, statuses } = unpack(payload.data);
          try {
            for (const status of statuses) await recordStatus(status);
            for (const message of messages) {
              const receivedAt = new Date().toISOString();
              // The 24-hour window counts from when the person wrote.
              const wroteAt = message.timestamp ? Number(message.timestamp) * 1000 : Date.now();
              if (Date.now() - wroteAt > settings.maxMessageAgeMs) {
                deps.onInvalid?.();
                log.warn(
                  { channel: 'whatsapp-cloud', ageHours: Math.round((Date.now() - wroteAt) / 3_600_000) },
                  'dropped a WhatsApp message older than WHATSAPP_MAX_MESSAGE_AGE_HOURS',
                );
                continue;
              }
              const conversationId = conversationIdOf('whatsapp-cloud', message.from);
              const known = storedNumberOr(await redis.get(keys.whatsappLastInbound(conversationId)), 0);
              // A late redelivery of an old message must not move the window back.
              if (wroteAt > known)
                await redis.set(keys.whatsappLastInbound(conversationId), String(wroteAt), 'PX', SERVICE_WINDOW_MS + 3600_000);
              const inbound = inboundFromCloudMessage(message, receivedAt);
              try {
                if (inbound) await deps.gateway.accept(inbound);
              } catch (error) {
                // One unreadable message (a latitude past 90) is dropped and counted; the
                // good ones around it are queued, and Meta is not asked to send it again.
                if (!(error instanceof InvalidInbound)) throw error;
                deps.onInvalid?.();
                log.warn({ channel: 'whatsapp-cloud', err: error }, 'dropped a message Pelita cannot read');
              }
            }
          } catch (error) {
            // Meta delivers it again; never 200 for a message that was not queued.
            log.error({ channel: 'whatsapp-cloud', err: error }, 'could not queue a WhatsApp webhook');
            return reply.status(503).header('retry-after', '5').send({ error: 'could not queue the messages now' });
          }
          return reply.status(200).send({});
        });
      });
    },
  };
}
