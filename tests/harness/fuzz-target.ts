import type { PelitaRuntime } from '../../src/app/pelita-runtime.ts';
import { startFakeGraphApi } from './fake-graph-api.ts';
import type { FuzzTarget } from './fuzz-requests.ts';
import { startTelegramEmulator, TEST_BOT_TOKEN } from './telegram-emulator.ts';
import { startTestPelita } from './test-pelita.ts';
import type { TestRedis } from './test-redis.ts';

/** A Pelita with every public route on (HTTP channel with a partner, both webhooks, the cases API), for the fuzz. */
export async function startFuzzTarget(redis: TestRedis): Promise<{ target: FuzzTarget; runtime: PelitaRuntime; stop: () => Promise<void> }> {
  const emulator = await startTelegramEmulator();
  const graph = await startFakeGraphApi();
  const secrets = {
    partnerToken: 'fuzz-partner-token-0123456789abcdef',
    telegramSecret: 'fuzz-telegram-secret',
    whatsappSecret: 'fuzz-whatsapp-app-secret',
    adminToken: 'fuzz-admin-token',
  };
  const { runtime, baseUrl } = await startTestPelita(redis, {
    HTTP_CHANNEL_TOKENS: `fuzz:${secrets.partnerToken}`,
    // The fuzz is about what requests do, not how many one address may send.
    HTTP_REQUESTS_PER_MIN_PER_IP: '0',
    ADMIN_TOKEN: secrets.adminToken,
    TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
    TELEGRAM_API_ROOT: emulator.config.apiURL,
    TELEGRAM_WEBHOOK_URL: 'https://pelita.example.org/webhooks/telegram',
    TELEGRAM_WEBHOOK_SECRET: secrets.telegramSecret,
    WHATSAPP_CLOUD_ACCESS_TOKEN: 'EAAG-fuzz',
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: '1098765',
    WHATSAPP_CLOUD_APP_SECRET: secrets.whatsappSecret,
    WHATSAPP_CLOUD_VERIFY_TOKEN: 'fuzz-verify',
    WHATSAPP_API_BASE: graph.url,
    LOG_LEVEL: 'silent',
  });
  return {
    target: { baseUrl, ...secrets },
    runtime,
    stop: async () => {
      await runtime.stop(2000);
      await graph.stop();
      await emulator.stop();
    },
  };
}
