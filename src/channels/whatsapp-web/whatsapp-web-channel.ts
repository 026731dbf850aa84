import type { Client, ClientOptions } from 'whatsapp-web.js';
import type { Redis } from 'ioredis';
import type { Logger } from '../../log/logger.ts';
import type { InboundGateway } from '../../pipeline/inbound-gateway.ts';
import type { RedisKeys } from '../../redis/redis-keys.ts';
import type { ChannelSender } from '../channel-sender.ts';

/** Makes the whatsapp-web.js client; tests pass a double typed by the package's own declarations. */
export type WhatsAppWebClientFactory = (options: ClientOptions) => Client;

export interface WhatsAppWebChannel {
  sender: ChannelSender;
  /** Takes the one-client-per-number lock, then starts the client (QR login on first use). */
  start(): void;
  stop(): Promise<void>;
}

export function createWhatsAppWebChannel(deps: {
  dataDir: string;
  chromiumPath: string;
  gateway: InboundGateway;
  redis: Redis;
  keys: RedisKeys;
  log: Logger;
  createClient?: WhatsAppWebClientFactory | undefined;
}): WhatsAppWebChannel {
  void deps;
  throw new Error('whatsapp-web.js adapter: not written yet');
}
