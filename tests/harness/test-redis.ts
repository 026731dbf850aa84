import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { findOnPath, startPrivateRedisServer } from '../../src/redis/private-redis-server.ts';
import { freePort } from './free-port.ts';

export interface TestRedis {
  url: string;
  /** A key prefix no other test file uses, so files can share a REDIS_URL server. */
  prefix: string;
  /** Stops the private server (a no-op for a shared REDIS_URL server). */
  stop(): Promise<void>;
  /**
   * Private servers only: stops the server (SIGTERM: it writes its append-only file) and
   * starts it again on the same port and data, as an operator's restart would.
   */
  restart?(downMs?: number): Promise<void>;
}

/**
 * A real Redis for one test file: the server named by REDIS_URL when set, otherwise a
 * private redis-server from PATH on a free port, with its data in a temporary folder.
 * Tests that stop or kill the server ask for a private one whatever REDIS_URL says.
 */
export async function startTestRedis(options: { private?: boolean } = {}): Promise<TestRedis> {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  if (process.env.REDIS_URL && !options.private) return { url: process.env.REDIS_URL, prefix, stop: async () => undefined };
  const binary = findOnPath('redis-server');
  if (!binary) throw new Error('redis-server is not on PATH: install it (apt-get install redis-server) or set REDIS_URL');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pelita-test-redis-'));
  const port = await freePort();
  let server = await startPrivateRedisServer({ binary, port, dataDir });
  return {
    url: server.url,
    prefix,
    stop: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
    restart: async (downMs = 1000) => {
      await server.stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      server = await startPrivateRedisServer({ binary, port, dataDir });
    },
  };
}
