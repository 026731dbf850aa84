import path from 'node:path';
import type { Logger } from '../core/log/logger.ts';
import { ConfigError } from '../config/load-config.ts';
import { pingRedis } from './redis-connection.ts';
import { findOnPath, startPrivateRedisServer } from './private-redis-server.ts';

export interface ReachableRedis {
  url: string;
  /** Set when Pelita started its own redis-server, which must stop with it. */
  stopPrivateServer?: () => Promise<void>;
}

const PING_TIMEOUT_MS = 3000;

/**
 * Makes sure a Redis answers. When REDIS_URL was not set and nothing answers on the
 * default address, a newcomer should still be able to chat with Pelita, so a private
 * redis-server is started from PATH. A REDIS_URL that was set is never second-guessed:
 * an operator who named a server wants that server, and a clear error otherwise.
 */
export async function ensureRedis(options: { url: string; urlWasSet: boolean; dataDir: string; log: Logger }): Promise<ReachableRedis> {
  const first = await pingRedis(options.url, PING_TIMEOUT_MS);
  if (first.ok) return { url: options.url };

  const binary = findOnPath('redis-server');
  if (!options.urlWasSet && binary) {
    const port = Number(new URL(options.url).port || 6379);
    const dataDir = path.join(options.dataDir, 'redis');
    const server = await startPrivateRedisServer({ binary, port, dataDir });
    options.log.warn({ port, dataDir }, 'no Redis was running: started a private redis-server (append-only, data in %s)', dataDir);
    return { url: server.url, stopPrivateServer: server.stop };
  }

  throw new ConfigError([
    `REDIS_URL: cannot reach Redis at ${redactPassword(options.url)} (${first.reason}).` +
      ' Start one with `docker compose up -d redis`, or install the OS package' +
      ' (e.g. `apt-get install redis-server`), or point REDIS_URL at a running server.',
  ]);
}

function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
