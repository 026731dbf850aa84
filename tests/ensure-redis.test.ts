import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config/load-config.ts';
import { ensureRedis } from '../src/redis/ensure-redis.ts';
import { pingRedis } from '../src/redis/redis-connection.ts';
import { freePort } from './harness/free-port.ts';
import { memoryLogger } from './harness/test-pelita.ts';

describe('finding Redis', () => {
  it('starts a private, persistent redis-server when REDIS_URL is unset and nothing answers', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'pelita-data-'));
    const { log, lines } = memoryLogger();
    const redis = await ensureRedis({ url: `redis://127.0.0.1:${port}`, urlWasSet: false, dataDir, log });
    try {
      expect(redis.stopPrivateServer).toBeDefined();
      expect((await pingRedis(redis.url, 1000)).ok).toBe(true);
      expect(lines.join('\n')).toMatch(/started a private redis-server/);
      // appendonly: the data survives a restart of Pelita.
      expect(existsSync(path.join(dataDir, 'redis'))).toBe(true);
    } finally {
      await redis.stopPrivateServer?.();
    }
    expect((await pingRedis(`redis://127.0.0.1:${port}`, 500)).ok).toBe(false);
  });

  it('never replaces a Redis the operator named: it explains REDIS_URL instead', async () => {
    const port = await freePort();
    const started = Date.now();
    const attempt = ensureRedis({ url: `redis://127.0.0.1:${port}`, urlWasSet: true, dataDir: tmpdir(), log: memoryLogger().log });
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(attempt).rejects.toThrow(/^REDIS_URL: cannot reach Redis.*docker compose up -d redis.*redis-server/s);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('explains REDIS_URL when no redis-server is installed to fall back on', async () => {
    const port = await freePort();
    const previous = process.env.PATH;
    // An empty PATH: no redis-server to be found.
    process.env.PATH = '';
    try {
      const attempt = ensureRedis({ url: `redis://127.0.0.1:${port}`, urlWasSet: false, dataDir: tmpdir(), log: memoryLogger().log });
      await expect(attempt).rejects.toThrow(/^REDIS_URL: cannot reach Redis/);
    } finally {
      process.env.PATH = previous;
    }
  });
});
