import type { Api, Transformer } from 'grammy';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import type { StoredBotUpdate } from 'telegram-test-api/lib/telegramServer.js';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from './free-port.ts';
import { startTestRedis, type TestRedis } from './test-redis.ts';

export const TEST_BOT_TOKEN = '123456:TEST';

/** The `telegram-test-api` Bot API emulator on loopback, for grammY to make real HTTP calls to. */
export async function startTelegramEmulator(): Promise<TelegramServer> {
  const server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 600 });
  await server.start();
  return server;
}

/** What the bot sent to one chat so far (messages are never marked read here). */
export function botMessagesTo(server: TelegramServer, chatId: number): StoredBotUpdate['message'][] {
  return server.storage.botMessages.filter((update) => String(update.message.chat_id) === String(chatId)).map((update) => update.message);
}

/** Waits until `condition` holds for the chat's messages. */
export async function waitForBotMessages(
  server: TelegramServer,
  chatId: number,
  condition: (messages: StoredBotUpdate['message'][]) => boolean,
  timeoutMs = 15_000,
): Promise<StoredBotUpdate['message'][]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const messages = botMessagesTo(server, chatId);
    if (condition(messages)) return messages;
    if (Date.now() > deadline) throw new Error(`timed out; the bot sent chat ${chatId}: ${JSON.stringify(messages.map((m) => m.text))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface RecordedCall {
  method: string;
  payload: Record<string, unknown>;
}

/**
 * A grammY API transformer for what the emulator lacks: it records every call, answers
 * the methods the emulator does not know (setMyCommands) or should not act on (a webhook
 * URL it cannot reach), and lets a test answer a call
 * itself (a 429, a 403) by returning a response from `override`.
 */
export function recordingTransformer(
  calls: RecordedCall[],
  override: (
    call: RecordedCall,
  ) =>
    | { ok: true; result: unknown }
    | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } }
    | undefined = () => undefined,
  /** Methods answered `ok` here, never reaching the emulator. */
  answered: readonly string[] = ['setMyCommands'],
): (api: Api) => void {
  const transformer: Transformer = async (previous, method, payload, signal) => {
    const call = { method, payload: payload as Record<string, unknown> };
    calls.push(call);
    const answer = override(call);
    // The transformer's declared return type follows the method; an error response is valid for any method.
    if (answer) return answer as unknown as Awaited<ReturnType<typeof previous>>;
    if (answered.includes(method)) return { ok: true, result: true } as unknown as Awaited<ReturnType<typeof previous>>;
    return previous(method, payload, signal);
  };
  return (api) => api.config.use(transformer);
}

/**
 * A test file's Redis and Bot API emulator, started before its tests and stopped after.
 * Read them inside tests or hooks (they exist once `beforeAll` has run).
 */
export function useTelegramTestbed(): { readonly redis: TestRedis; readonly emulator: TelegramServer } {
  let redis: TestRedis | undefined;
  let emulator: TelegramServer | undefined;
  beforeAll(async () => {
    redis = await startTestRedis();
    emulator = await startTelegramEmulator();
  });
  afterAll(async () => {
    await emulator?.stop();
    await redis?.stop();
  });
  return {
    get redis() {
      return redis!;
    },
    get emulator() {
      return emulator!;
    },
  };
}
