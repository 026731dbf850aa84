/**
 * `npm run bench:broadcast`: an NGO's alert to 100,000 people on three channels, against
 * local stand-ins for Telegram's Bot API, Meta's Graph API and a partner's callback server.
 * The platform stand-ins hold Pelita to each limit over any one-second window and refuse
 * what goes over it, as a platform may. Prints progress to stderr and one JSON object on
 * the last line of stdout. Not a test: nothing here asserts a figure.
 *
 * Measured: what the contacts cost in Redis, how long planning the broadcast takes, the
 * reply time of people writing on WhatsApp while Pelita is idle and while it broadcasts,
 * each channel's sending rate against its platform's limit, refusals for going over a
 * limit, and recipients who got the alert twice. Sending 100,000 at platform pace takes
 * over 20 minutes (Telegram's 30 a second); the rates come from a fixed window instead,
 * after which the broadcast is cancelled.
 *
 * Pelita runs as its own process (`pelita start --role all`), as deployed; the stand-ins,
 * the seeding and the people writing run here. REDIS_URL (default the local one) may be
 * shared: the run's keys have their own prefix and are deleted at the end.
 * BENCH_BROADCAST_SECONDS sets the window (default 40); BENCH_STAND_IN_SLACK_PERCENT lets
 * the platform stand-ins take that much over their limits (default 0).
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Redis } from 'ioredis';
import { BroadcastStore } from '../src/alerts/broadcast-store.ts';
import { broadcastDefinitionSchema } from '../src/alerts/broadcast.ts';
import { ContactBook } from '../src/alerts/contact-book.ts';
import { isQuiet, type QuietHours } from '../src/alerts/quiet-hours.ts';
import { SERVICE_WINDOW_MS } from '../src/channels/whatsapp-cloud/whatsapp-cloud-sender.ts';
import { DEFAULT_REDIS_URL } from '../src/config/config-schema.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { RedisKeys } from '../src/redis/redis-keys.ts';
import { cloudWebhook, sign } from '../tests/harness/fake-graph-api.ts';
import { spawnPelita, type PelitaProcess } from '../tests/harness/pelita-process.ts';
import { sleep } from './bench-rounds.ts';
import { startCallbackReceiver } from './stand-ins/callback-receiver.ts';
import { startGraphStandIn } from './stand-ins/graph-api.ts';
import { type StandInCounts, startTelegramStandIn } from './stand-ins/telegram-bot-api.ts';

const CONTACTS = { telegram: 40_000, whatsapp_cloud: 40_000, http: 20_000 } as const;
const TOTAL_CONTACTS = CONTACTS.telegram + CONTACTS.whatsapp_cloud + CONTACTS.http;
const SEED_IN_FLIGHT = 200;
const PROVINCES = ['52', '32', '35'] as const;
/** Platform limits, as the stand-ins enforce them and Pelita is configured with. */
const LIMITS = { telegram: 30, telegram_chat: 1, whatsapp_cloud: 80, http: 200 } as const;
/**
 * Per cent more than its limit each platform stand-in lets through (default 0: as strict as
 * the limit). Pelita is still told the real limits; a few per cent shows what the figures
 * would be against a platform that tolerates small overshoots.
 */
const STAND_IN_SLACK = 1 + Number(process.env.BENCH_STAND_IN_SLACK_PERCENT ?? 0) / 100;
const MEASURE_SECONDS = Number(process.env.BENCH_BROADCAST_SECONDS ?? 40);
const WARMUP_SECONDS = 5;
/** People writing on WhatsApp during each latency round, and messages each. */
const PEOPLE = 50;
const MESSAGES_EACH = 3;
const PEOPLE_APART_MS = 150;
/** After a person's first reply, later parts of it (paced at one a second per person) are waited out before they write again. */
const SETTLE_MS = 1500;
const THINK_MS = 1000;
const REPLY_TIMEOUT_MS = 20_000;
const TEXTS = ['halo', 'apa syarat kerja ke malaysia?', 'berapa biaya penempatan ke taiwan?'];
/** In every text of the broadcast, so the stand-ins can tell it from live replies. */
const MARKER = 'PELITA-BENCH-ALERT';

const APP_SECRET = 'bench-app-secret';
const PHONE_NUMBER_ID = '1098765';
const STAFF = 'bench-staff';

const progress = (text: string) => process.stderr.write(`bench:broadcast: ${text}\n`);
const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const usedMemory = async (redis: Redis) => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);

/** Every key of this run's prefix, in batches, deleted: the Redis may be shared. */
async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

/** What the run's keys take, key by key (MEMORY USAGE): unlike used_memory, not moved by other users of a shared Redis. */
async function keyBytes(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let bytes = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.memory('USAGE', key);
    for (const [, value] of (await pipeline.exec()) ?? []) bytes += Number(value) || 0;
  } while (cursor !== '0');
  return bytes;
}

/** CPU seconds a process has used, from /proc (Linux's clock ticks are 1/100 s); undefined elsewhere. */
function processCpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

const redisCpuSeconds = async (redis: Redis) => {
  const info = await redis.info('cpu');
  return Number(/used_cpu_sys:([\d.]+)/.exec(info)?.[1] ?? 0) + Number(/used_cpu_user:([\d.]+)/.exec(info)?.[1] ?? 0);
};

/** The n-th contact: channels interleaved 2:2:1, languages 3:2 across them, three provinces. */
function contactOf(n: number): { conversationId: string; channel: keyof typeof CONTACTS; language: string; province: string } {
  const slot = n % 5;
  const language = Math.floor(n / 5) % 5 < 3 ? 'id' : 'en';
  const province = PROVINCES[Math.floor(n / 25) % PROVINCES.length]!;
  if (slot < 2) return { conversationId: `telegram:${100_000_000 + n}`, channel: 'telegram', language, province };
  if (slot < 4)
    return { conversationId: `whatsapp-cloud:62812${String(n).padStart(8, '0')}`, channel: 'whatsapp_cloud', language, province };
  return { conversationId: `http:bench-person-${n}`, channel: 'http', language, province };
}

/** A quiet window of one minute, 12 hours from now in Jakarta: the broadcast never meets it. */
function farQuietHours(): QuietHours {
  const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Jakarta', hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
  const far = String((hour + 12) % 24).padStart(2, '0');
  return { start: `${far}:00`, end: `${far}:01` };
}

/** The number of recipients with the broadcast more than once. */
const duplicatesIn = (counts: StandInCounts) => [...counts.broadcastBy.values()].filter((times) => times > 1).length;

async function main(): Promise<void> {
  const redisUrl = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const prefix = `bench-broadcast-${runId}`;
  const keys = new RedisKeys(prefix);
  const redis = new Redis(redisUrl, { enableAutoPipelining: true, maxRetriesPerRequest: 2 });
  const isBroadcast = (text: string) => text.includes(MARKER);
  const telegram = await startTelegramStandIn({
    perSecond: Math.floor(LIMITS.telegram * STAND_IN_SLACK),
    perChatPerSecond: LIMITS.telegram_chat,
    isBroadcast,
  });
  const graph = await startGraphStandIn({ perSecond: Math.floor(LIMITS.whatsapp_cloud * STAND_IN_SLACK), isBroadcast });
  const callback = await startCallbackReceiver({ isBroadcast });
  const standIns = { telegram, whatsapp_cloud: graph, http: callback } as const;
  const channels = ['telegram', 'whatsapp_cloud', 'http'] as const;
  let pelita: PelitaProcess | undefined;
  try {
    const book = new ContactBook(redis, keys);
    const store = new BroadcastStore(redis, keys, book, { approvalThreshold: 1_000_000, languages: ['id', 'en'] });

    // 1. The contacts, written as subscribing in chat writes them, SEED_IN_FLIGHT at a time.
    progress(`seeding ${TOTAL_CONTACTS} contacts under ${prefix} on ${redisUrl.replace(/\/\/[^@]*@/, '//')}`);
    const memoryBefore = await usedMemory(redis);
    const consentAt = new Date().toISOString();
    const seedStarted = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: SEED_IN_FLIGHT }, async () => {
        for (let n = next++; n < TOTAL_CONTACTS; n = next++) {
          const contact = contactOf(n);
          await book.subscribe(contact.conversationId, {
            language: contact.language,
            province: contact.province,
            timeZone: 'Asia/Jakarta',
            topics: ['scam_alerts'],
            consent: { wording: 'alerts.consent#3f9a1c2b', at: consentAt },
          });
        }
      }),
    );
    const memoryBook = await usedMemory(redis);
    // Everyone on WhatsApp wrote recently: inside the 24-hour window, so no template is needed.
    const wroteAt = String(Date.now());
    for (let start = 0; start < TOTAL_CONTACTS; start += 5000) {
      const pipeline = redis.pipeline();
      for (let n = start; n < Math.min(TOTAL_CONTACTS, start + 5000); n++) {
        const contact = contactOf(n);
        if (contact.channel === 'whatsapp_cloud')
          pipeline.set(keys.whatsappLastInbound(contact.conversationId), wroteAt, 'PX', SERVICE_WINDOW_MS + 3600_000);
      }
      await pipeline.exec();
    }
    const seedS = (performance.now() - seedStarted) / 1000;
    const memoryAfter = await usedMemory(redis);
    const seededKeyBytes = await keyBytes(redis, prefix);
    progress(`seeded in ${seedS.toFixed(1)} s; used_memory +${((memoryAfter - memoryBefore) / 1e6).toFixed(1)} MB`);

    // 2. Pelita, pointed at the stand-ins.
    progress('starting Pelita (role all)');
    const pelitaEnv: Record<string, string> = {
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      TELEGRAM_BOT_TOKEN: '123456:bench-token-not-real',
      TELEGRAM_API_ROOT: telegram.url,
      TELEGRAM_RATE_PER_S: String(LIMITS.telegram),
      TELEGRAM_CHAT_RATE_PER_S: String(LIMITS.telegram_chat),
      WHATSAPP_CLOUD_ACCESS_TOKEN: 'EAAG-bench',
      WHATSAPP_CLOUD_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      WHATSAPP_CLOUD_APP_SECRET: APP_SECRET,
      WHATSAPP_CLOUD_VERIFY_TOKEN: 'bench-verify-token',
      WHATSAPP_API_BASE: graph.url,
      WHATSAPP_RATE_PER_S: String(LIMITS.whatsapp_cloud),
      HTTP_CALLBACK_URL: callback.url,
      HTTP_CALLBACK_RATE_PER_S: String(LIMITS.http),
      ALERTS_PER_WEEK: '50',
      BROADCAST_APPROVAL_THRESHOLD: '1000000',
    };
    // The broadcast settings Pelita will run with (its defaults unless set here), for the figures.
    const pelitaConfig = loadConfig(pelitaEnv);
    const pelitaSettings = { concurrency: pelitaConfig.BROADCAST_CONCURRENCY, liveSharePercent: pelitaConfig.BROADCAST_LIVE_SHARE_PERCENT };
    pelita = await spawnPelita('all', pelitaEnv);
    const pelitaUrl = `http://127.0.0.1:${pelita.port}`;
    const running = pelita;
    let stopping = false;
    void running.exited.then((code) => {
      if (!stopping)
        progress(`Pelita exited on its own (code ${code}); its last words:\n${running.output().split('\n').slice(-15).join('\n')}`);
    });
    progress(`Pelita is running at ${pelitaUrl}`);

    // People on WhatsApp: the time from their message's webhook to the first message to them at the Graph stand-in.
    const waiting = new Map<string, (at: number) => void>();
    const lastTo = new Map<string, number>();
    graph.onAccepted((to, _text, at) => {
      lastTo.set(to, at);
      const resolve = waiting.get(to);
      if (resolve) {
        waiting.delete(to);
        resolve(at);
      }
    });
    let webhookMessages = 0;
    const write = async (from: string, text: string): Promise<number | undefined> => {
      webhookMessages += 1;
      const body = cloudWebhook([
        {
          from,
          id: `wamid.bench-${from}-${webhookMessages}`,
          timestamp: String(Math.floor(Date.now() / 1000)),
          type: 'text',
          text: { body: text },
        },
      ]);
      const first = new Promise<number | undefined>((resolve) => {
        const timer = setTimeout(() => {
          waiting.delete(from);
          resolve(undefined);
        }, REPLY_TIMEOUT_MS);
        waiting.set(from, (at) => {
          clearTimeout(timer);
          resolve(at);
        });
      });
      const started = performance.now();
      const response = await fetch(`${pelitaUrl}/webhooks/whatsapp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, APP_SECRET) },
        body,
      });
      await response.body?.cancel();
      if (response.status !== 200) throw new Error(`the webhook answered ${response.status} for ${from}`);
      const at = await first;
      return at === undefined ? undefined : at - started;
    };
    /** Until nothing more has come to `to` for SETTLE_MS: the rest of a reply in several parts. */
    const settle = async (to: string) => {
      for (let waited = 0; waited < 10_000; waited += 100) {
        if (performance.now() - (lastTo.get(to) ?? 0) >= SETTLE_MS) return;
        await sleep(100);
      }
    };
    /** PEOPLE new people (never in the contact book), each writing MESSAGES_EACH messages, each after the reply to the last. */
    const people = async (group: number, messages = MESSAGES_EACH): Promise<{ latencies: number[]; timeouts: number }> => {
      const latencies: number[] = [];
      let timeouts = 0;
      await Promise.all(
        Array.from({ length: PEOPLE }, async (_, n) => {
          const from = `62899${group}${String(n).padStart(6, '0')}`;
          await sleep(n * PEOPLE_APART_MS);
          for (let m = 0; m < messages; m++) {
            const latency = await write(from, TEXTS[m % TEXTS.length]!);
            if (latency === undefined) {
              timeouts += 1;
              latencies.push(REPLY_TIMEOUT_MS);
            } else latencies.push(latency);
            await settle(from);
            await sleep(THINK_MS);
          }
        }),
      );
      return { latencies, timeouts };
    };

    // 3. Replies while nothing else happens, after a round to warm the code up.
    progress(`warm-up: ${PEOPLE} people write once on WhatsApp`);
    await people(1, 1);
    progress(`idle: ${PEOPLE} new people write ${MESSAGES_EACH} messages each on WhatsApp`);
    const idle = await people(2);
    const idleP99 = percentile(idle.latencies, 99);
    progress(`idle reply p50 ${percentile(idle.latencies, 50).toFixed(0)} ms, p99 ${idleP99.toFixed(0)} ms`);

    // 4. The broadcast: planning its 100,000 recipients.
    const quietHours = farQuietHours();
    if (isQuiet(Date.now(), 'Asia/Jakarta', quietHours) || isQuiet(Date.now() + 10 * 60_000, 'Asia/Jakarta', quietHours)) {
      throw new Error(`the quiet hours ${quietHours.start}-${quietHours.end} would interfere`);
    }
    const id = `bench-${runId}`;
    const definition = broadcastDefinitionSchema.parse({
      id,
      title: 'Benchmark: a scam warning to everyone subscribed',
      text: {
        id: `${MARKER} Waspada: lowongan kerja palsu ke Kamboja beredar di media sosial. Jangan kirim uang atau paspor.`,
        en: `${MARKER} Beware: fake job offers for Cambodia are going round on social media. Never send money or your passport.`,
      },
      target: { topics: ['scam_alerts'] },
      quiet_hours: quietHours,
    });
    await store.create(definition, STAFF, new Date());
    progress(`planning the broadcast (quiet hours ${quietHours.start}-${quietHours.end} Asia/Jakarta)`);
    const enqueueStarted = performance.now();
    const record = await store.send(id, STAFF, new Date());
    const enqueueS = (performance.now() - enqueueStarted) / 1000;
    const sendingFrom = performance.now();
    progress(`planned ${record.targeted} recipients in ${enqueueS.toFixed(2)} s; state ${record.state}`);

    // 5. The window: rates at the stand-ins after a warm-up, and people writing during it.
    const snapshot = () => ({
      at: performance.now(),
      broadcast: Object.fromEntries(channels.map((channel) => [channel, standIns[channel].counts.broadcastAccepted])) as Record<
        (typeof channels)[number],
        number
      >,
      all: Object.fromEntries(channels.map((channel) => [channel, standIns[channel].counts.accepted])) as Record<
        (typeof channels)[number],
        number
      >,
    });
    await sleep(Math.max(0, sendingFrom + WARMUP_SECONDS * 1000 - performance.now()));
    const windowStart = snapshot();
    const cpuStart = { pelita: processCpuSeconds(pelita.child.pid), bench: process.cpuUsage(), redis: await redisCpuSeconds(redis) };
    progress(`measuring for ${MEASURE_SECONDS} s; ${PEOPLE} new people write on WhatsApp meanwhile`);
    const liveRound = people(3);
    const windowEndsAt = windowStart.at + MEASURE_SECONDS * 1000;
    let last = windowStart;
    while (performance.now() < windowEndsAt) {
      await sleep(Math.min(5000, windowEndsAt - performance.now()));
      const now = snapshot();
      const seconds = (now.at - last.at) / 1000;
      const state = await store.progress(id, new Date());
      progress(
        `${((now.at - sendingFrom) / 1000).toFixed(0)} s: ` +
          channels
            .map((channel) => `${channel} ${((now.broadcast[channel] - last.broadcast[channel]) / seconds).toFixed(1)}/s`)
            .join(', ') +
          `; sent ${state.sent}, failed ${state.failed}, in flight ${state.inFlight}, pending ${state.pending}; ` +
          `429s ${channels.map((channel) => standIns[channel].counts.tooManyRequests).join('/')}`,
      );
      last = now;
    }
    const windowEnd = snapshot();
    const windowS = (windowEnd.at - windowStart.at) / 1000;
    const pelitaCpuEnd = processCpuSeconds(pelita.child.pid);
    // Cores' worth of CPU each used during the window; Redis's includes anyone else's use of a shared server.
    const cpuCores = {
      pelita: pelitaCpuEnd !== undefined && cpuStart.pelita !== undefined ? round((pelitaCpuEnd - cpuStart.pelita) / windowS) : null,
      bench: round((process.cpuUsage(cpuStart.bench).user + process.cpuUsage(cpuStart.bench).system) / 1e6 / windowS),
      redis: round(((await redisCpuSeconds(redis)) - cpuStart.redis) / windowS),
      machine_cores: cpus().length,
    };
    const live = await liveRound;
    const liveP99 = percentile(live.latencies, 99);
    progress(`live reply p50 ${percentile(live.latencies, 50).toFixed(0)} ms, p99 ${liveP99.toFixed(0)} ms`);

    // 6. Cancelled; those in flight finish.
    await store.cancel(id, STAFF, new Date());
    const cancelledAt = performance.now();
    let final = await store.progress(id, new Date());
    while (final.inFlight > 0 && performance.now() - cancelledAt < 30_000) {
      await sleep(100);
      final = await store.progress(id, new Date());
    }
    const drainS = (performance.now() - cancelledAt) / 1000;
    progress(`cancelled; in flight ${final.inFlight} after ${drainS.toFixed(1)} s`);

    // Pelita's own view of the pauses platforms asked for, while it still runs.
    const metrics = await fetch(`${pelitaUrl}/metrics`)
      .then((response) => response.text())
      .catch(() => '');
    const retryAfterPauses = Object.fromEntries(
      [...metrics.matchAll(/^pelita_rate_limited_total\{channel="([^"]+)"\} (\d+)/gm)].map((match) => [match[1], Number(match[2])]),
    );

    stopping = true;
    pelita.child.kill('SIGTERM');
    const exitCode = await Promise.race([pelita.exited, sleep(20_000).then(() => 'timeout' as const)]);
    if (exitCode === 'timeout') pelita.child.kill('SIGKILL');
    // Pelita's warnings and errors, by message: what went wrong, in its own words.
    const warnings: Record<string, number> = {};
    for (const line of pelita.output().split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const entry = JSON.parse(line) as { level?: number; msg?: string };
        if ((entry.level ?? 0) >= 40) warnings[entry.msg ?? '?'] = (warnings[entry.msg ?? '?'] ?? 0) + 1;
      } catch {
        // Not a log line.
      }
    }
    pelita = undefined;

    const perChannel = <T>(value: (channel: (typeof channels)[number]) => T) =>
      Object.fromEntries(channels.map((channel) => [channel, value(channel)])) as Record<(typeof channels)[number], T>;
    const liveShare = pelitaSettings.liveSharePercent / 100;
    const rate = (channel: (typeof channels)[number]) => (windowEnd.broadcast[channel] - windowStart.broadcast[channel]) / windowS;
    const allRate = (channel: (typeof channels)[number]) => (windowEnd.all[channel] - windowStart.all[channel]) / windowS;
    const limit = (channel: (typeof channels)[number]) => LIMITS[channel];
    const sentBy = perChannel((channel) => standIns[channel].counts.broadcastAccepted);
    const sentTotal = Object.values(sentBy).reduce((sum, value) => sum + value, 0);
    const duplicatesBy = perChannel((channel) => duplicatesIn(standIns[channel].counts));
    const result = {
      contacts: TOTAL_CONTACTS,
      contacts_by_channel: CONTACTS,
      seed_s: round(seedS, 1),
      redis_bytes_per_contact: Math.round((memoryAfter - memoryBefore) / TOTAL_CONTACTS),
      redis_bytes_per_contact_book_only: Math.round((memoryBook - memoryBefore) / TOTAL_CONTACTS),
      redis_key_bytes_per_contact: Math.round(seededKeyBytes / TOTAL_CONTACTS),
      idle_live_reply_p50_ms: Math.round(percentile(idle.latencies, 50)),
      idle_live_reply_p99_ms: Math.round(idleP99),
      idle_live_reply_timeouts: idle.timeouts,
      enqueue_s: round(enqueueS),
      targeted: record.targeted ?? 0,
      live_reply_p50_ms: Math.round(percentile(live.latencies, 50)),
      live_reply_p99_ms: Math.round(liveP99),
      live_reply_max_ms: Math.round(Math.max(...live.latencies)),
      live_replies_over_1s: live.latencies.filter((latency) => latency > 1000).length,
      live_reply_timeouts: live.timeouts,
      live_reply_ratio: round(liveP99 / Math.max(1, idleP99)),
      live_replies_per_round: PEOPLE * MESSAGES_EACH,
      measured_window_s: round(windowS, 1),
      measured_after_warmup_s: WARMUP_SECONDS,
      measured_window_note: `rates over ${Math.round(windowS)} s after a ${WARMUP_SECONDS} s warm-up, then cancelled: all ${TOTAL_CONTACTS} at platform pace would take ${Math.round(CONTACTS.telegram / LIMITS.telegram / (1 - liveShare) / 60)} min (Telegram)`,
      broadcast_concurrency: pelitaSettings.concurrency,
      live_share_percent: pelitaSettings.liveSharePercent,
      limits_per_s: perChannel(limit),
      stand_in_limits_per_s: {
        telegram: Math.floor(LIMITS.telegram * STAND_IN_SLACK),
        whatsapp_cloud: Math.floor(LIMITS.whatsapp_cloud * STAND_IN_SLACK),
      },
      send_per_s: perChannel((channel) => round(rate(channel), 1)),
      send_rate_vs_limit: perChannel((channel) => round(rate(channel) / limit(channel))),
      send_rate_vs_broadcast_share: perChannel((channel) => round(rate(channel) / (limit(channel) * (1 - liveShare)))),
      all_messages_rate_vs_limit: perChannel((channel) => round(allRate(channel) / limit(channel))),
      peak_per_s: perChannel((channel) => standIns[channel].counts.peakPerSecond),
      platform_429s: perChannel((channel) => standIns[channel].counts.tooManyRequests),
      // Each refusal's time from the start of sending, and the pace of the sends that filled the window before it.
      platform_429s_at_s: perChannel((channel) =>
        standIns[channel].counts.refusals.slice(0, 20).map((refusal) => round((refusal.at - sendingFrom) / 1000, 1)),
      ),
      // The stand-in's own event-loop lag in the second before each refusal: a few hundred
      // ms means it saw requests bunched by its own stall, not sent in a burst.
      platform_429s_stand_in_lag_ms: perChannel((channel) =>
        standIns[channel].counts.refusals.slice(0, 20).map((refusal) => refusal.loopLagMs),
      ),
      pace_before_429_per_s: perChannel((channel) => {
        const gaps = standIns[channel].counts.refusals.flatMap((refusal) => refusal.gapsMs);
        return gaps.length > 0 ? round(1000 / percentile(gaps, 50), 1) : null;
      }),
      pelita_rate_limited_total: retryAfterPauses,
      cpu_cores_during_window: cpuCores,
      duplicates: Object.values(duplicatesBy).reduce((sum, value) => sum + value, 0),
      duplicates_by_channel: duplicatesBy,
      sent_total: sentTotal,
      sent_by_channel: sentBy,
      progress: final,
      progress_sent_matches_stand_ins: final.sent === sentTotal,
      drain_s: round(drainS, 1),
      telegram_other_calls: telegram.counts.otherCalls,
      graph_other_calls: graph.counts.otherCalls,
      pelita_exit: exitCode,
      pelita_warnings: warnings,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    if (pelita) {
      pelita.child.kill('SIGKILL');
      await pelita.exited;
    }
    await Promise.all([telegram.stop(), graph.stop(), callback.stop()]);
    const deleted = await deleteKeys(redis, prefix).catch((error: Error) => {
      progress(`could not delete the run's keys (${prefix}:*): ${error.message}`);
      return 0;
    });
    progress(`deleted ${deleted} keys under ${prefix}:`);
    await redis.quit();
  }
}

await main();
process.exit(0);
