import type { ChannelModule, Pace } from '../channel-module.ts';
import { Api } from 'grammy';
import type { LanguageCode, Update } from 'grammy/types';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { TelegramSettings } from '../../config/channel-settings.ts';
import type { Translator } from '../../content/translator.ts';
import type { Logger } from '../../core/log/logger.ts';
import { InvalidInbound, type InboundGateway } from '../../pipeline/inbound-gateway.ts';
import type { RedisKeys } from '../../redis/redis-keys.ts';
import { sameSecret } from '../../core/same-secret.ts';
import { TELEGRAM_COMMANDS } from './telegram-inbound.ts';
import { ALLOWED_UPDATES, TelegramReceiver } from './telegram-receiver.ts';
import { TelegramSender } from './telegram-sender.ts';

export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export interface TelegramChannel extends ChannelModule {
  /** Adds POST /webhooks/telegram (webhook mode only). */
  addRoutes(app: FastifyInstance): void;
  /** Registers the commands, then polls or sets the webhook. Failures are retried in the background. */
  start(): void;
  stop(): Promise<void>;
}

/** The Bot API client, at TELEGRAM_API_ROOT when set. */
export function createTelegramApi(settings: TelegramSettings, configure?: (api: Api) => void): Api {
  const api = new Api(settings.token, settings.apiRoot ? { apiRoot: settings.apiRoot } : undefined);
  // Tests put a grammY API transformer in front of the emulator (429, 403, methods it lacks).
  configure?.(api);
  return api;
}

/**
 * The Telegram channel on grammY: long polling by default (one poller across all gateway
 * processes), or a webhook registered with a secret token that every request must carry.
 */
export function createTelegramChannel(deps: {
  settings: TelegramSettings;
  outboundBurst: number;
  /** How long a sent message is remembered, so a retried batch skips it. */
  rememberSeconds: number;
  gateway: InboundGateway;
  redis: Redis;
  keys: RedisKeys;
  translator: Translator;
  log: Logger;
  api: Api;
  /** Updates from the operators' group go there first. */
  operatorUpdate?: ((update: Update) => Promise<boolean>) | undefined;
  /** Told of each update dropped as unreadable (for /metrics). */
  onInvalid?: (() => void) | undefined;
  pace: Pace;
}): TelegramChannel {
  const { settings, log, api } = deps;
  const receiver = new TelegramReceiver({
    api,
    gateway: deps.gateway,
    redis: deps.redis,
    keys: deps.keys,
    log,
    operatorUpdate: deps.operatorUpdate,
    onInvalid: deps.onInvalid,
  });
  const sender = new TelegramSender({ api, redis: deps.redis, keys: deps.keys, rememberSeconds: deps.rememberSeconds, log });
  const webhookUrl = settings.webhook?.url;
  const secret = settings.webhook?.secret;
  let stopped = false;

  const registerCommands = async () => {
    for (const language of deps.translator.languages) {
      const commands = Object.keys(TELEGRAM_COMMANDS).map((command) => ({
        command,
        description: deps.translator.t(`telegram.command_${command}`, language),
      }));
      // Pelita's language folders are ISO 639-1 codes, as Telegram's are.
      await api.setMyCommands(commands, { language_code: language as LanguageCode });
      // The list for everyone else: the fallback language.
      if (language === deps.translator.fallback) await api.setMyCommands(commands);
    }
  };

  const setWebhook = async () => {
    for (let delay = 1000; !stopped; delay = Math.min(delay * 2, 60_000)) {
      try {
        await api.setWebhook(webhookUrl!, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
        log.info({ channel: 'telegram' }, 'Telegram webhook registered');
        return;
      } catch (error) {
        log.warn({ channel: 'telegram', err: error }, 'could not register the Telegram webhook; trying again');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };

  return {
    channel: 'telegram',
    // One bot: about 30 messages a second in all, and about one a second to each chat.
    sender: deps.pace('telegram', sender, {
      channel: { perSecond: settings.perSecond, burst: deps.outboundBurst },
      conversation: { perSecond: settings.perChatPerSecond, burst: deps.outboundBurst },
    }),
    addRoutes(app) {
      if (!webhookUrl || !secret) return;
      app.post(TELEGRAM_WEBHOOK_PATH, async (request, reply) => {
        if (!sameSecret(String(request.headers[SECRET_HEADER] ?? ''), secret)) {
          return reply.status(401).send({ error: 'missing or wrong secret token' });
        }
        const update = request.body as Partial<Update> | undefined;
        if (!update || typeof update !== 'object' || !Number.isSafeInteger(update.update_id)) {
          return reply.status(400).send({ error: 'expected a Telegram update with a numeric update_id' });
        }
        try {
          await receiver.handle(update as Update);
          return reply.status(200).send({});
        } catch (error) {
          // Unreadable: acknowledged and dropped, so Telegram does not hold back what follows.
          if (error instanceof InvalidInbound) {
            deps.onInvalid?.();
            log.warn({ channel: 'telegram', err: error }, 'dropped an update Pelita cannot read');
            return reply.status(200).send({});
          }
          // Telegram delivers it again later; never 200 for an update that was not queued.
          log.error({ channel: 'telegram', err: error }, 'could not queue a Telegram update');
          return reply.status(503).header('retry-after', '5').send({ error: 'could not queue the update now' });
        }
      });
    },
    start() {
      registerCommands().catch((error: Error) => log.warn({ channel: 'telegram', err: error }, 'could not set the command menu'));
      if (webhookUrl) void setWebhook();
      else receiver.startPolling();
    },
    async stop() {
      stopped = true;
      await receiver.stop();
    },
  };
}
