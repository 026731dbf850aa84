import type { FastifyInstance } from 'fastify';
import type { ChannelSender } from '../core/channel-sender.ts';
import type { Channel } from '../core/messages/channel.ts';
import type { ChannelPacing } from '../pipeline/outbound/paced-sender.ts';

/**
 * A push channel as the runtime composes it: built from its own settings, it brings the
 * sender its outbound queue drains into (already at the platform's pace), the HTTP routes
 * it needs (webhooks), and how to start and stop taking messages. The runtime loops over
 * the configured ones; it knows nothing of any platform.
 */
export interface ChannelModule {
  readonly channel: Channel;
  readonly sender: ChannelSender;
  addRoutes?(app: FastifyInstance): void;
  /** Starts taking messages (polling, a webhook's registration, a browser); failures retry in the background. */
  start?(): void;
  stop?(): Promise<void>;
}

/**
 * Keeps a sender to a pace shared by every process (the runtime's PacedSender on Redis):
 * each channel says its platform's pace, the runtime provides the mechanism.
 */
export type Pace = (channel: Channel, sender: ChannelSender, pacing: ChannelPacing) => ChannelSender;
