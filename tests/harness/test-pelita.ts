import { Writable } from 'node:stream';
import { SHIPPED_CONTENT } from '../../src/config/content-paths.ts';
import { loadEngineContext } from '../../src/app/load-engine-context.ts';
import { Nlu } from '../../src/nlu/nlu.ts';
import { PelitaRuntime, type Role, type RuntimeOptions } from '../../src/app/pelita-runtime.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createLogger, type Logger } from '../../src/core/log/logger.ts';
import type { TestRedis } from './test-redis.ts';

/** A logger whose lines are kept in memory, for tests that read what was logged. */
export function memoryLogger(logMessages = false): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger({ level: 'debug', logMessages, destination }), lines };
}

let nlu: Promise<Nlu> | undefined;
/** Trained once per test file: training takes about a second. */
export function sharedNlu(): Promise<Nlu> {
  nlu ??= Nlu.load(SHIPPED_CONTENT.nlu);
  return nlu;
}

/** A whole Pelita process (in this process) on a test Redis, its HTTP server on a free port. */
export async function startTestPelita(
  redis: TestRedis,
  env: Record<string, string> = {},
  role: Role = 'all',
  extra: Pick<RuntimeOptions, 'configureTelegramApi' | 'createWhatsAppWebClient'> & { nlu?: Nlu } = {},
): Promise<{ runtime: PelitaRuntime; baseUrl: string; lines: string[] }> {
  // Tests start hundreds of conversations in seconds: the pace of new conversations is off
  // unless a test turns it on (tests/inbound-limits.test.ts).
  const config = loadConfig({ REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, PORT: '0', NEW_CONVERSATIONS_PER_MIN: '0', ...env });
  const { log, lines } = memoryLogger();
  const runtime = await PelitaRuntime.start({
    config,
    log,
    ctx: loadEngineContext(),
    role,
    http: true,
    nlu: role === 'gateway' ? undefined : (extra.nlu ?? (await sharedNlu())),
    ...extra,
  });
  return { runtime, baseUrl: `http://127.0.0.1:${runtime.port}`, lines };
}
