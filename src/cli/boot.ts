import { loadEngineContext } from '../app/load-engine-context.ts';
import { Nlu } from '../nlu/nlu.ts';
import { PelitaRuntime, type Role } from '../app/pelita-runtime.ts';
import { type Config, loadConfig } from '../config/load-config.ts';
import type { EngineContext } from '../engine/engine-context.ts';
import { createLogger, type Logger } from '../core/log/logger.ts';
import { ensureRedis } from '../redis/ensure-redis.ts';

export interface Booted {
  config: Config;
  log: Logger;
  ctx: EngineContext;
  runtime: PelitaRuntime;
  /** Stops the runtime, then the private redis-server if this process started one. */
  /** Stops within about `graceMs` (see PelitaRuntime.stop). */
  shutdown(graceMs?: number): Promise<void>;
}

/**
 * What `start` and `chat` share: settings, content, a reachable Redis, the runtime. Any
 * problem throws before anything is running, with a message naming what to fix.
 */
export async function boot(options: {
  role: Role;
  http: boolean;
  logDestination?: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
}): Promise<Booted> {
  const config = loadConfig(options.env);
  const log = createLogger({ level: config.LOG_LEVEL, logMessages: config.LOG_MESSAGES, destination: options.logDestination });
  const ctx = loadEngineContext(config.content);
  // Redis before the NLU's training (about 1.5 s): a missing Redis is reported at once.
  const redis = await ensureRedis({ url: config.REDIS_URL, urlWasSet: config.redisUrlWasSet, dataDir: config.DATA_DIR, log });
  const runtimeConfig = { ...config, REDIS_URL: redis.url };
  let runtime: PelitaRuntime;
  try {
    // Free-text understanding for the engine: emergencies, intents, the first message's language.
    const nlu = options.role === 'gateway' ? undefined : await Nlu.load(config.content.nlu);
    runtime = await PelitaRuntime.start({ config: runtimeConfig, log, ctx, role: options.role, http: options.http, nlu });
  } catch (error) {
    await redis.stopPrivateServer?.();
    throw error;
  }
  return {
    config: runtimeConfig,
    log,
    ctx,
    runtime,
    shutdown: async (graceMs?: number) => {
      await runtime.stop(graceMs);
      await redis.stopPrivateServer?.();
    },
  };
}
