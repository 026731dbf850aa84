import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { BroadcastStore } from '../src/alerts/broadcast-store.ts';
import { ContactBook } from '../src/alerts/contact-book.ts';
import { RedisKeys } from '../src/redis/redis-keys.ts';
import { startFakeGraphApi } from './harness/fake-graph-api.ts';
import { spawnPelita, type PelitaProcess } from './harness/pelita-process.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';
import { neverQuiet } from './harness/never-quiet.ts';

/**
 * A broadcast through faults, with Pelita as its own process on a private Redis with the
 * append-only file, sending to a WhatsApp Cloud stand-in that counts what each person got
 * and reports each message it accepted with a status webhook, as Meta does: the sending
 * process killed with SIGKILL halfway (another takes over), and Redis restarted halfway.
 */
const RECIPIENTS = 60;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function setUp(): Promise<{
  redis: TestRedis;
  connection: Redis;
  store: BroadcastStore;
  graph: Awaited<ReturnType<typeof startFakeGraphApi>>;
  start: () => Promise<PelitaProcess>;
}> {
  const redis = await startTestRedis({ private: true });
  cleanups.push(() => redis.stop());
  const appSecret = 'app-secret-for-broadcast-faults';
  let webhook: string | undefined;
  // Messages are answered 300 ms after they are taken: a sender killed meanwhile has sent
  // them without knowing it, and only the platform's report can tell.
  const graph = await startFakeGraphApi({ respondAfterMs: 300, reports: { appSecret, url: () => webhook } });
  cleanups.push(() => graph.stop());
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  // Refused while Redis restarts: the calls wait and go through once it is back.
  connection.on('error', () => undefined);
  cleanups.push(() => connection.quit());
  const keys = new RedisKeys(redis.prefix);
  const book = new ContactBook(connection, keys);
  const store = new BroadcastStore(connection, keys, book, { approvalThreshold: 1000, languages: ['id', 'en'] });
  const consent = { wording: 'alerts.consent#00000000', at: new Date().toISOString() };
  for (let n = 0; n < RECIPIENTS; n++) {
    const conversationId = `whatsapp-cloud:6281200${String(n).padStart(4, '0')}`;
    await book.subscribe(conversationId, { language: 'id', topics: ['scam_alerts'], timeZone: 'Asia/Jakarta', consent });
    await connection.set(keys.whatsappLastInbound(conversationId), String(Date.now()));
  }
  const env = {
    REDIS_URL: redis.url,
    REDIS_PREFIX: redis.prefix,
    WHATSAPP_CLOUD_ACCESS_TOKEN: 'EAAG-test',
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: '1098765',
    WHATSAPP_CLOUD_APP_SECRET: appSecret,
    WHATSAPP_CLOUD_VERIFY_TOKEN: 'verify-token-for-broadcast-faults',
    WHATSAPP_API_BASE: graph.url,
    // Slow enough that the fault lands halfway.
    WHATSAPP_RATE_PER_S: '15',
    // A message cut off by the crash with no report within 2 s never reached the platform.
    BROADCAST_REPORT_WAIT_S: '2',
  };
  const start = async () => {
    const pelita = await spawnPelita('all', env);
    webhook = `http://127.0.0.1:${pelita.port}/webhooks/whatsapp`;
    cleanups.push(async () => {
      pelita.child.kill('SIGKILL');
      await pelita.exited;
    });
    return pelita;
  };
  return { redis, connection, store, graph, start };
}

async function sent(store: BroadcastStore, id: string): Promise<number> {
  return (await store.progress(id, new Date())).sent;
}

async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** How many copies of the broadcast each recipient got at the Graph stand-in. */
function copiesPerRecipient(graph: Awaited<ReturnType<typeof startFakeGraphApi>>, id: string): number[] {
  return Array.from({ length: RECIPIENTS }, (_, n) => {
    const to = `6281200${String(n).padStart(4, '0')}`;
    return graph.calls.filter((call) => call.body.to === to && JSON.stringify(call.body).includes(id)).length;
  });
}

describe('broadcast faults', () => {
  it('a sending process killed with SIGKILL halfway: the next one finishes, and every recipient gets it exactly once', {
    timeout: 90_000,
  }, async () => {
    const { store, graph, start } = await setUp();
    const first = await start();
    await store.create(
      { id: 'kill-halfway', text: { id: 'Waspada (kill-halfway)', en: 'Beware (kill-halfway)' }, quiet_hours: neverQuiet() },
      'sari',
      new Date(),
    );
    await store.send('kill-halfway', 'sari', new Date());
    await until(async () => (await sent(store, 'kill-halfway')) >= RECIPIENTS / 3, 30_000, 'a third sent');
    first.child.kill('SIGKILL');
    await first.exited;
    await start();
    await until(async () => (await store.progress('kill-halfway', new Date())).state === 'done', 60_000, 'the broadcast to finish');
    const progress = await store.progress('kill-halfway', new Date());
    // The killed process had messages the platform took but never answered: the platform's
    // reports settled them, and nobody was sent it twice or left out.
    expect(graph.unanswered()).toBeGreaterThanOrEqual(1);
    expect(copiesPerRecipient(graph, 'kill-halfway')).toEqual(Array(RECIPIENTS).fill(1));
    expect(progress).toMatchObject({ sent: RECIPIENTS, failed: 0, unconfirmed: 0, skipped: { interrupted: 0 } });
  });

  it('Redis restarted halfway (append-only file): every recipient gets it exactly once', { timeout: 90_000 }, async () => {
    const { redis, store, graph, start } = await setUp();
    await start();
    await store.create(
      { id: 'redis-restart', text: { id: 'Waspada (redis-restart)', en: 'Beware (redis-restart)' }, quiet_hours: neverQuiet() },
      'sari',
      new Date(),
    );
    await store.send('redis-restart', 'sari', new Date());
    await until(async () => (await sent(store, 'redis-restart')) >= RECIPIENTS / 3, 30_000, 'a third sent');
    await redis.restart?.(1500);
    await until(async () => (await store.progress('redis-restart', new Date())).state === 'done', 60_000, 'the broadcast to finish');
    const progress = await store.progress('redis-restart', new Date());
    expect(copiesPerRecipient(graph, 'redis-restart')).toEqual(Array(RECIPIENTS).fill(1));
    expect(progress).toMatchObject({ sent: RECIPIENTS, failed: 0, unconfirmed: 0, skipped: { interrupted: 0 } });
  });
});
