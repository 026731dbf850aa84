import type { HttpCallbackSettings } from '../../config/channel-settings.ts';
import type { Redis } from 'ioredis';
import type { ReplyLog } from '../../pipeline/reply-log/reply-log.ts';
import { ReplyLogSender } from '../../pipeline/reply-log/reply-log-sender.ts';
import type { RedisKeys } from '../../redis/redis-keys.ts';
import type { ChannelModule, Pace } from '../channel-module.ts';
import { HttpCallbackSender } from './http-callback-sender.ts';

/**
 * The HTTP channel with HTTP_CALLBACK_URL: a partner's server is told of every reply. The
 * reply log is written first (long polls see it at once), then the callback, in order, at
 * the partner's pace; only the callback is paced.
 */
export function createHttpCallbackChannel(deps: {
  settings: HttpCallbackSettings;
  outboundBurst: number;
  replyLog: ReplyLog;
  redis: Redis;
  keys: RedisKeys;
  rememberSeconds: number;
  pace: Pace;
}): ChannelModule {
  const callback = deps.pace(
    'http',
    new HttpCallbackSender({ ...deps.settings, redis: deps.redis, keys: deps.keys, rememberSeconds: deps.rememberSeconds }),
    { channel: { perSecond: deps.settings.perSecond, burst: deps.outboundBurst }, conversation: { perSecond: 0, burst: 1 } },
  );
  return { channel: 'http', sender: new ReplyLogSender(deps.replyLog, (batch) => callback.deliver(batch)) };
}
