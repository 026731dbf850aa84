import type { WhatsAppWebSettings } from '../../config/channel-settings.ts';
import type { ChannelModule, Pace } from '../channel-module.ts';
import type { Client, ClientOptions } from 'whatsapp-web.js';
import type { Redis } from 'ioredis';
import type { Logger } from '../../core/log/logger.ts';
import type { InboundGateway } from '../../pipeline/inbound-gateway.ts';
import type { RedisKeys } from '../../redis/redis-keys.ts';
import { newWhatsAppWebClient } from './whatsapp-web-client.ts';
import { RedisLease } from '../../redis/redis-lease.ts';
import { LoginQrCode } from './whatsapp-web-qr.ts';
import { WhatsAppWebSender } from './whatsapp-web-sender.ts';
import { WhatsAppWebSession } from './whatsapp-web-session.ts';

/** Makes the whatsapp-web.js client; tests pass a double typed by the package's own declarations. */
export type WhatsAppWebClientFactory = (options: ClientOptions) => Client;

export interface WhatsAppWebChannel extends ChannelModule {
  /** Takes the one-client-per-number lock, then starts the client (QR login on first use). */
  start(): void;
  stop(): Promise<void>;
}

/**
 * WhatsApp on an ordinary number through whatsapp-web.js (a Chromium running WhatsApp
 * Web), for pilots before a Cloud API number is approved. One process across the
 * deployment runs the client; every gateway process has the sender, which sends only
 * where the client is logged in and otherwise leaves the batch to be retried.
 */
export function createWhatsAppWebChannel(deps: {
  settings: WhatsAppWebSettings;
  gateway: InboundGateway;
  redis: Redis;
  keys: RedisKeys;
  log: Logger;
  createClient?: WhatsAppWebClientFactory | undefined;
  pace: Pace;
  outboundBurst: number;
}): WhatsAppWebChannel {
  const session = new WhatsAppWebSession({
    gateway: deps.gateway,
    log: deps.log,
    // One WhatsApp Web session per number: a second browser would take it over and the two
    // would keep logging each other out.
    lease: new RedisLease(deps.redis, deps.keys.whatsappWebClient(), 60_000),
    qrCode: new LoginQrCode(deps.settings.dataDir, deps.log),
    newClient: () => newWhatsAppWebClient({ ...deps, ...deps.settings }),
  });
  const sender = new WhatsAppWebSender({ readyClient: () => session.readyClient(), redis: deps.redis, keys: deps.keys });
  return {
    channel: 'whatsapp-web',
    sender: deps.pace('whatsapp-web', sender, {
      // An ordinary number is banned for bursts: gently (WHATSAPP_WEB_RATE_PER_S).
      channel: { perSecond: deps.settings.perSecond, burst: deps.outboundBurst },
      conversation: { perSecond: 1, burst: deps.outboundBurst },
    }),
    start: () => session.start(),
    stop: () => session.stop(),
  };
}
