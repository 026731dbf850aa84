import { readFileSync } from 'node:fs';
import type { PelitaRuntime } from '../../src/app/pelita-runtime.ts';
import { startFakeGraphApi } from './fake-graph-api.ts';
import type { FuzzTarget } from './fuzz-requests.ts';
import { spawnPelita } from './pelita-process.ts';
import { startTelegramEmulator, TEST_BOT_TOKEN } from './telegram-emulator.ts';
import { startTestPelita } from './test-pelita.ts';
import type { TestRedis } from './test-redis.ts';

const SECRETS = {
  partnerToken: 'fuzz-partner-token-0123456789abcdef',
  telegramSecret: 'fuzz-telegram-secret',
  whatsappSecret: 'fuzz-whatsapp-app-secret',
  adminToken: 'fuzz-admin-token',
};

/** Every public route on: the HTTP channel with a partner, both webhooks, the cases API. */
function fuzzEnv(redis: TestRedis, telegramApi: string, graphApi: string): Record<string, string> {
  return {
    REDIS_URL: redis.url,
    REDIS_PREFIX: redis.prefix,
    HTTP_CHANNEL_TOKENS: `fuzz:${SECRETS.partnerToken}`,
    // The fuzz is about what requests do, not how many one address may send.
    HTTP_REQUESTS_PER_MIN_PER_IP: '0',
    ADMIN_TOKEN: SECRETS.adminToken,
    TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
    TELEGRAM_API_ROOT: telegramApi,
    TELEGRAM_WEBHOOK_URL: 'https://pelita.example.org/webhooks/telegram',
    TELEGRAM_WEBHOOK_SECRET: SECRETS.telegramSecret,
    WHATSAPP_CLOUD_ACCESS_TOKEN: 'EAAG-fuzz',
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: '1098765',
    WHATSAPP_CLOUD_APP_SECRET: SECRETS.whatsappSecret,
    WHATSAPP_CLOUD_VERIFY_TOKEN: 'fuzz-verify',
    WHATSAPP_API_BASE: graphApi,
  };
}

/** The fuzz target in this process (the tests). */
export async function startFuzzTarget(
  redis: TestRedis,
): Promise<{ target: FuzzTarget; runtime: PelitaRuntime; stop: () => Promise<void> }> {
  const emulator = await startTelegramEmulator();
  const graph = await startFakeGraphApi();
  const { runtime, baseUrl } = await startTestPelita(redis, { ...fuzzEnv(redis, emulator.config.apiURL, graph.url), LOG_LEVEL: 'silent' });
  return {
    target: { baseUrl, ...SECRETS },
    runtime,
    stop: async () => {
      await runtime.stop(2000);
      await graph.stop();
      await emulator.stop();
    },
  };
}

/** The fuzz target as `pelita start` in a process of its own, whose memory can be read apart from the fuzzer's. */
export async function spawnFuzzTarget(
  redis: TestRedis,
): Promise<{ target: FuzzTarget; rssBytes: () => number; stop: () => Promise<number | null> }> {
  const emulator = await startTelegramEmulator();
  const graph = await startFakeGraphApi();
  const pelita = await spawnPelita('all', fuzzEnv(redis, emulator.config.apiURL, graph.url));
  return {
    target: { baseUrl: `http://127.0.0.1:${pelita.port}`, ...SECRETS },
    rssBytes: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pelita.child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024,
    stop: async () => {
      pelita.child.kill('SIGTERM');
      const code = await pelita.exited;
      await graph.stop();
      await emulator.stop();
      return code;
    },
  };
}
