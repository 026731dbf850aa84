import path from 'node:path';
import type { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { Api } from 'grammy';
import type { ChannelModule, Pace } from '../channels/channel-module.ts';
import { createHttpCallbackChannel } from '../channels/http/http-callback-channel.ts';
import { createTelegramApi, createTelegramChannel } from '../channels/telegram/telegram-channel.ts';
import { TelegramOperators } from '../channels/telegram/telegram-operators.ts';
import { createWhatsAppCloudChannel } from '../channels/whatsapp-cloud/whatsapp-cloud-channel.ts';
import { createWhatsAppWebChannel, type WhatsAppWebClientFactory } from '../channels/whatsapp-web/whatsapp-web-channel.ts';
import { CaseDesk } from '../cases/case-desk.ts';
import { addCaseRoutes } from '../cases/cases-http.ts';
import { addBroadcastRoutes } from './broadcasts-http.ts';
import type { Redis } from 'ioredis';
import { ConfigError } from '../config/load-config.ts';
import { PELITA_VERSION } from '../config/content-paths.ts';
import { HttpAccess, isLoopback } from '../channels/http/http-access.ts';
import { buildHttpServer } from '../channels/http/http-server.ts';
import type { ChannelSender } from '../core/channel-sender.ts';
import { ReplyLog } from '../pipeline/reply-log/reply-log.ts';
import { ReplyLogSender } from '../pipeline/reply-log/reply-log-sender.ts';
import type { Config } from '../config/load-config.ts';
import type { EngineContext } from '../engine/engine-context.ts';
import type { Logger } from '../core/log/logger.ts';
import type { Channel } from '../core/messages/channel.ts';
import { inboundSchema, type Inbound } from '../core/messages/inbound.ts';
import { outboundBatchSchema, type OutboundBatch } from '../core/messages/reply.ts';
import { PelitaMetrics } from '../pipeline/pelita-metrics.ts';
import { CountingSender } from '../pipeline/outbound/counting-sender.ts';
import { DeliveryRouter } from '../pipeline/delivery-router.ts';
import { NoticePacer } from '../pipeline/outbound/notice-pacer.ts';
import { PaceLimiter } from '../pipeline/outbound/pace-limiter.ts';
import { PacedSender, type ChannelPacing } from '../pipeline/outbound/paced-sender.ts';
import type { Nlu } from '../nlu/nlu.ts';
import { AnswerCounts } from '../pipeline/answer-counts.ts';
import { createEngineHandler } from '../pipeline/engine-worker.ts';
import { PersonDataEraser } from '../pipeline/person-data-eraser.ts';
import { InboundGateway } from '../pipeline/inbound-gateway.ts';
import { InboundLimits } from '../pipeline/inbound-limits.ts';
import { loadEmergencyDetector } from '../nlu/emergency-detector.ts';
import { ConversationQueue } from '../redis/conversation-queue.ts';
import { jobsConnection, openRedis, withTimeout } from '../redis/redis-connection.ts';
import { RedisKeys } from '../redis/redis-keys.ts';
import { SessionStore } from '../pipeline/session-store.ts';
import { ContactBook } from '../alerts/contact-book.ts';
import { Subscriptions } from '../alerts/subscriptions.ts';
import { BroadcastStore } from '../alerts/broadcast-store.ts';
import { BroadcastDispatcher, type BroadcastRoute } from '../pipeline/broadcast-dispatcher.ts';
import type { NamedToken } from '../core/same-secret.ts';

export type Role = 'all' | 'gateway' | 'worker';

export interface RuntimeOptions {
  config: Config;
  log: Logger;
  ctx: EngineContext;
  /** gateway: channels in and out (HTTP server, senders); worker: the engine. */
  role: Role;
  /**
   * Serve HTTP (off for `pelita chat`): the HTTP channel, health and /metrics in a gateway;
   * health and /metrics only in a worker.
   */
  http: boolean;
  /** Free-text understanding for the engine (worker roles); without it, keywords and menus only. */
  nlu?: Nlu | undefined;
  /** Tests only: a grammY API transformer in front of the Telegram emulator. */
  configureTelegramApi?: ((api: Api) => void) | undefined;
  /** Tests only: a double of whatsapp-web.js's Client. */
  createWhatsAppWebClient?: WhatsAppWebClientFactory | undefined;
}

/** Telegram allows about 20 messages a minute in one group (the operators' group). */
const TELEGRAM_GROUP_RATE_PER_S = 20 / 60;

/**
 * One Pelita process: the queues, and whichever of gateway and worker its role asks for.
 * Every process, of any role, meets the others only through Redis.
 */
export class PelitaRuntime {
  readonly keys: RedisKeys;
  readonly redis: Redis;
  private readonly jobsRedis: Redis;
  readonly inbound: ConversationQueue<Inbound>;
  readonly gateway: InboundGateway;
  readonly replyLog: ReplyLog;
  private readonly outbound = new Map<Channel, ConversationQueue<OutboundBatch>>();
  readonly metrics = new PelitaMetrics();
  private readonly delivery: DeliveryRouter;
  private server: FastifyInstance | undefined;
  private stopSweeping: (() => void) | undefined;
  /** The push channels this process sends on (and takes webhooks and updates for). */
  private channels: ChannelModule[] = [];
  private sharedTelegramApi: Api | undefined;
  private readonly operators: TelegramOperators | undefined;
  readonly cases: CaseDesk;
  /** The alerts' contact book and broadcasts, for the admin API and the command line. */
  readonly contacts: ContactBook;
  readonly broadcasts: BroadcastStore;
  private dispatcher: BroadcastDispatcher | undefined;

  private constructor(private readonly options: RuntimeOptions) {
    const { config } = options;
    this.keys = new RedisKeys(config.REDIS_PREFIX);
    this.redis = openRedis(config.REDIS_URL);
    this.redis.on('error', (error: Error) => options.log.warn({ err: error }, 'Redis connection error'));
    this.jobsRedis = jobsConnection(config.REDIS_URL);
    this.jobsRedis.on('error', (error: Error) => options.log.warn({ err: error }, 'Redis connection error (jobs)'));
    // A turn that keeps failing on one message is set aside; a delivery that keeps failing
    // (a platform down) is not poison, and is tried until it gets through.
    this.inbound = this.queue<Inbound>('inbound', inboundSchema, config.DEAD_LETTER_ATTEMPTS);
    // The emergency rules alone (no classifier): a gateway process loads no NLU.
    const emergencyRules = loadEmergencyDetector(path.join(config.content.nlu, 'emergency.yaml'));
    this.gateway = new InboundGateway(this.inbound, {
      onAccepted: (channel, duplicate) => (duplicate ? this.metrics.duplicatesIn : this.metrics.messagesIn).inc({ channel }),
      onLimited: (channel) => this.metrics.limitedIn.inc({ channel }),
      limits: new InboundLimits({
        redis: this.redis,
        keys: this.keys,
        settings: { perSenderPerMinute: config.SENDER_MESSAGES_PER_MIN, newConversationsPerMinute: config.NEW_CONVERSATIONS_PER_MIN },
        isEmergency: (text) => emergencyRules.detect(text).emergency,
      }),
    });
    this.replyLog = new ReplyLog(this.redis, this.keys);
    const translator = options.ctx.translator;
    this.delivery = new DeliveryRouter({
      replyLog: this.replyLog,
      metrics: this.metrics,
      outboundFor: (channel) => this.outboundFor(channel),
      httpCallbackUrl: config.channels.httpCallback?.url,
      translator,
    });
    const say = (key: string, values?: Record<string, string | number>) => translator.t(key, translator.fallback, values);
    const operatorsChat = config.OPERATORS_TELEGRAM_CHAT_ID;
    const api = this.telegramApi();
    const telegram = config.channels.telegram;
    if (operatorsChat !== undefined && api && telegram) {
      const burst = config.channels.outboundBurst;
      // Same bucket as the bot's replies (one bot, one limit), after them.
      const notices = new NoticePacer(
        PaceLimiter.forChannel(this.redis, this.keys, 'telegram', { perSecond: telegram.perSecond, burst }),
        new PaceLimiter(this.redis, this.keys.pace('telegram', `group:${operatorsChat}`), { perSecond: TELEGRAM_GROUP_RATE_PER_S, burst }),
        {
          reserve: 1,
          longestWaitMs: config.OPERATOR_NOTICE_MAX_WAIT_S * 1000,
          repliesWaiting: async () => (await this.repliesQueued('telegram')) > 0,
        },
      );
      this.operators = new TelegramOperators({
        api,
        chatId: operatorsChat,
        allowedUserIds: config.OPERATORS_ALLOWED_USER_IDS,
        say,
        log: options.log,
        pace: () => notices.slot(),
      });
    }
    this.cases = new CaseDesk({
      redis: this.redis,
      jobsRedis: this.jobsRedis,
      keys: this.keys,
      log: options.log,
      slaMs: config.ESCALATION_SLA_MINUTES * 60_000,
      operators: this.operators,
      deliverToPerson: (found, replyId, text) => this.delivery.toPerson(found, replyId, text),
      say,
    });
    this.operators?.attach(this.cases);
    this.contacts = new ContactBook(this.redis, this.keys);
    this.broadcasts = new BroadcastStore(this.redis, this.keys, this.contacts, {
      approvalThreshold: config.BROADCAST_APPROVAL_THRESHOLD,
      languages: translator.languages,
    });
  }

  static async start(options: RuntimeOptions): Promise<PelitaRuntime> {
    const runtime = new PelitaRuntime(options);
    await runtime.redis.ping();
    const { role, config, log } = options;
    const serveChannel = options.http && role !== 'worker';
    if (serveChannel && !isLoopback(config.HOST) && httpPartners(config).length === 0) {
      await runtime.redis.quit().catch(() => undefined);
      await runtime.jobsRedis.quit().catch(() => undefined);
      throw new ConfigError([
        `HTTP_CHANNEL_TOKENS: HOST=${config.HOST} would open the HTTP channel beyond this machine with no token: set HTTP_CHANNEL_TOKENS (name:token pairs, one per partner system), or HOST=127.0.0.1`,
      ]);
    }
    if (role === 'all' || role === 'worker') runtime.startEngine();
    if (role === 'all' || role === 'gateway') runtime.startSenders();
    const serveHttp = options.http && (role !== 'worker' || config.METRICS_PORT !== undefined);
    if (serveHttp) await runtime.startHttp(role !== 'worker');
    // Platforms are asked for updates only once everything that takes them is up.
    for (const channel of runtime.channels) channel.start?.();
    log.info(
      {
        role,
        http: serveHttp ? `${config.HOST}:${runtime.port}` : 'off',
        redis: redisShownAs(config.REDIS_URL),
        prefix: config.REDIS_PREFIX,
      },
      'Pelita is running',
    );
    return runtime;
  }

  /** The port the HTTP server listens on (PORT=0 picks a free one, for tests). */
  get port(): number | undefined {
    const address = this.server?.server.address();
    return typeof address === 'object' && address ? address.port : undefined;
  }

  outboundFor(channel: Channel): ConversationQueue<OutboundBatch> {
    let queue = this.outbound.get(channel);
    if (!queue) {
      queue = this.queue<OutboundBatch>(`outbound-${channel}`, outboundBatchSchema);
      this.outbound.set(channel, queue);
    }
    return queue;
  }

  /**
   * Stops taking work, lets work in flight finish, and closes, all within about `graceMs`
   * plus a second: unfinished work stays in Redis for another process. Long polls are
   * answered at once, and intake and the queues stop side by side, so a busy process does
   * not spend its container's stop timeout waiting on one thing after another.
   */
  async stop(graceMs = 6_000): Promise<void> {
    this.stopSweeping?.();
    const deadline = Date.now() + graceMs;
    const left = () => Math.max(0, deadline - Date.now());
    this.replyLog.endWaits();
    const intake = Promise.allSettled([
      ...this.channels.map((channel) => channel.stop?.()),
      this.server?.close(),
      this.dispatcher?.stop(graceMs),
    ]);
    await Promise.all([
      withTimeout(intake, graceMs).catch(() => undefined),
      this.cases.close(graceMs),
      this.inbound.close(graceMs),
      ...[...this.outbound.values()].map((queue) => queue.close(graceMs)),
    ]);
    const closing = Math.min(1000, Math.max(200, left()));
    await Promise.all([
      withTimeout(this.replyLog.close(), closing).catch(() => undefined),
      withTimeout(this.redis.quit(), closing).catch(() => this.redis.disconnect()),
      withTimeout(this.jobsRedis.quit(), closing).catch(() => this.jobsRedis.disconnect()),
    ]);
  }

  private queue<T>(name: string, payload: z.ZodType<T>, maxAttempts?: number): ConversationQueue<T> {
    const queue = new ConversationQueue<T>({
      name,
      payload,
      redis: this.redis,
      keys: this.keys,
      dedupeTtlSeconds: this.options.config.DEDUPE_TTL_HOURS * 3600,
      lockTtlMs: this.options.config.QUEUE_LOCK_MS,
      observer: this.metrics,
      ...(maxAttempts !== undefined ? { maxAttempts } : {}),
    });
    this.metrics.watch(queue);
    return queue;
  }

  private startEngine(): void {
    const { config, log } = this.options;
    // A human answer is promised only where an operators' channel exists to give one.
    const caseWorkers = this.operators !== undefined || config.CASE_WORKERS_USE_ADMIN_API;
    const ctx = {
      ...this.options.ctx,
      caseWorkers,
      contactSourceMaxAgeMonths: config.CONTACT_SOURCE_MAX_AGE_MONTHS,
      alertsPerWeek: config.ALERTS_PER_WEEK,
    };
    if (!caseWorkers) {
      log.warn(
        { settings: ['OPERATORS_TELEGRAM_CHAT_ID', 'CASE_WORKERS_USE_ADMIN_API'] },
        'nobody answers cases here: no operators group and no case workers on the admin API are configured. Cases are still opened and listed (pelita cases list), but replies say this chat is automatic and point to hotlines instead of promising a case worker',
      );
    }
    const sessions = new SessionStore(this.redis, this.keys, config.SESSION_TTL_DAYS * 24 * 3600);
    const secondPassAfterMs = config.ERASE_SECOND_PASS_S * 1000;
    const contacts = this.contacts;
    const eraser = new PersonDataEraser({ redis: this.redis, keys: this.keys, cases: this.cases.store, contacts, secondPassAfterMs, log });
    this.stopSweeping = eraser.sweepEvery(Math.min(10_000, Math.max(200, secondPassAfterMs / 2)));
    const handler = createEngineHandler({
      ctx,
      sessions,
      deliver: (batch) => this.delivery.deliver(batch),
      replyWrite: (batch) => this.delivery.turnWrite(batch),
      cases: this.cases.store,
      eraser,
      operatorRelay: {
        activeCaseKey: (conversationId) => this.keys.activeCase(conversationId),
        relay: (conversationId, messageId, text, activeCaseId) => this.cases.relayFromPerson(conversationId, messageId, text, activeCaseId),
      },
      nlu: this.options.nlu,
      answerCounts: new AnswerCounts(this.redis, this.keys),
      subscriptions: new Subscriptions(contacts, (place) => ctx.places.timeZoneOf(place)),
      onEscalation: (reason) => this.metrics.escalations.inc({ reason }),
      log,
    });
    this.inbound.process(handler.handle, {
      concurrency: config.WORKER_CONCURRENCY,
      log,
      readAhead: handler.readAhead,
      onDeadLetter: handler.onDeadLetter,
    });
    this.cases.process();
  }

  /** The push channels the config names, each built from its own settings; their senders drain their outbound queues. */
  private startSenders(): void {
    const { config, log } = this.options;
    const { telegram, whatsappCloud, whatsappWeb, httpCallback, outboundBurst, rememberSeconds } = config.channels;
    // Broadcasts keep the pace on their own, after replies: they take each platform's sender as it is.
    const routes = new Map<Channel, BroadcastRoute>();
    const pace: Pace = (channel, sender, pacing) => {
      routes.set(channel, { deliver: (batch, beforeEachSend) => sender.deliver(batch, beforeEachSend), pacing });
      return this.paced(channel, sender, pacing);
    };
    const common = { gateway: this.gateway, redis: this.redis, keys: this.keys, log, pace, outboundBurst };
    const modules: ChannelModule[] = [];
    const api = this.telegramApi();
    if (telegram && api) {
      const operators = this.operators;
      modules.push(
        createTelegramChannel({
          ...common,
          settings: telegram,
          rememberSeconds,
          translator: this.options.ctx.translator,
          api,
          operatorUpdate: operators ? (update) => operators.handleUpdate(update) : undefined,
          onInvalid: () => this.metrics.invalidIn.inc({ channel: 'telegram' }),
        }),
      );
    }
    if (httpCallback) {
      modules.push(createHttpCallbackChannel({ ...common, settings: httpCallback, replyLog: this.replyLog, rememberSeconds }));
    }
    if (whatsappCloud) {
      modules.push(
        createWhatsAppCloudChannel({
          ...common,
          settings: whatsappCloud,
          translator: this.options.ctx.translator,
          rememberSeconds,
          onInvalid: () => this.metrics.invalidIn.inc({ channel: 'whatsapp-cloud' }),
          onTaggedStatus: (tag, conversationId, status) => this.broadcasts.recordStatus(tag, conversationId, status),
        }),
      );
    }
    if (whatsappWeb) {
      modules.push(createWhatsAppWebChannel({ ...common, settings: whatsappWeb, createClient: this.options.createWhatsAppWebClient }));
    }
    this.channels = modules;
    this.startBroadcasts(routes);
    for (const module of modules) {
      const counted = new CountingSender(module.sender, module.channel, this.metrics);
      this.outboundFor(module.channel).process(async (_conversationId, item) => void (await counted.deliver(item.payload)), {
        concurrency: config.WORKER_CONCURRENCY,
        log,
      });
    }
  }

  /**
   * Sends broadcasts on the channels this process has. HTTP contacts' alerts go to the reply
   * log (and, with a callback, to the partner, at its pace); console ones to the reply log.
   */
  private startBroadcasts(platforms: Map<Channel, BroadcastRoute>): void {
    const { config, log } = this.options;
    const routes = new Map(platforms);
    const callback = platforms.get('http');
    const noPace = { channel: { perSecond: 0, burst: 1 }, conversation: { perSecond: 0, burst: 1 } };
    const viaLog = new ReplyLogSender(
      this.replyLog,
      callback ? (batch, beforeEachSend) => callback.deliver(batch, beforeEachSend) : undefined,
    );
    routes.set('http', { deliver: (batch, beforeEachSend) => viaLog.deliver(batch, beforeEachSend), pacing: callback?.pacing ?? noPace });
    const toLog = new ReplyLogSender(this.replyLog);
    routes.set('console', { deliver: (batch) => toLog.deliver(batch), pacing: noPace });
    const places = this.options.ctx.places;
    this.dispatcher = new BroadcastDispatcher({
      redis: this.redis,
      keys: this.keys,
      store: this.broadcasts,
      book: this.contacts,
      routes,
      // Unknown: Indonesia's western time, where most people writing to Pelita are.
      timeZoneOf: (contact) => contact.timeZone ?? places.timeZoneOf({ country: 'ID' }) ?? 'Asia/Jakarta',
      settings: {
        concurrencyPerChannel: config.BROADCAST_CONCURRENCY,
        liveShare: config.BROADCAST_LIVE_SHARE_PERCENT / 100,
        perWeek: config.ALERTS_PER_WEEK,
        // Only WhatsApp Cloud reports on every message it got (status webhooks, with the tag sent).
        platformReports: {
          channels: new Set(platforms.has('whatsapp-cloud') ? ['whatsapp-cloud' as const] : []),
          waitMs: config.BROADCAST_REPORT_WAIT_S * 1000,
        },
      },
      metrics: this.metrics,
      log,
    });
    this.dispatcher.start();
  }

  /** How many conversations have replies queued on a channel, urgent or not: work that goes before operator notices. */
  private async repliesQueued(channel: Channel): Promise<number> {
    const queue = `outbound-${channel}`;
    const [ready, urgent] = await Promise.all([
      this.redis.llen(this.keys.queueReady(queue)),
      this.redis.llen(this.keys.queueUrgent(queue)),
    ]);
    return ready + urgent;
  }

  /** One Bot API client per process, shared by the channel and the operators' group. */
  private telegramApi(): Api | undefined {
    const settings = this.options.config.channels.telegram;
    if (!settings) return undefined;
    this.sharedTelegramApi ??= createTelegramApi(settings, this.options.configureTelegramApi);
    return this.sharedTelegramApi;
  }

  /** A sender at the pace its platform allows, shared by all processes through Redis. */
  private paced(channel: Channel, sender: ChannelSender, pacing: ChannelPacing): ChannelSender {
    return new PacedSender(sender, {
      redis: this.redis,
      keys: this.keys,
      channel,
      pacing,
      log: this.options.log,
      onRateLimited: () => this.metrics.retryAfterPauses.inc({ channel }),
    });
  }

  private async startHttp(withChannel: boolean): Promise<void> {
    const { config, log } = this.options;
    const loopback = isLoopback(config.HOST);
    const partners = httpPartners(config);
    if (withChannel && partners.length === 0) {
      log.warn(
        { host: config.HOST },
        'the HTTP channel is open to any program on this machine (no HTTP_CHANNEL_TOKENS): fine for trying Pelita, not for a server others can reach',
      );
    }
    // Without a token, /metrics (queue sizes, traffic) is for this machine only.
    const metricsOpen = config.METRICS_TOKEN !== undefined || loopback;
    if (!metricsOpen) log.warn({ setting: 'METRICS_TOKEN' }, '/metrics is off: it is only served on loopback or with METRICS_TOKEN');
    const access = new HttpAccess({
      redis: this.redis,
      keys: this.keys,
      partners,
      openOnLoopback: loopback && partners.length === 0,
      ttlSeconds: config.SESSION_TTL_DAYS * 24 * 3600,
    });
    this.server = await buildHttpServer({
      channel: withChannel ? { gateway: this.gateway, replyLog: this.replyLog, access } : undefined,
      limits: {
        requestsPerMinutePerIp: config.HTTP_REQUESTS_PER_MIN_PER_IP,
        connectionsPerIp: config.HTTP_CONNECTIONS_PER_IP,
        refusalDelayMs: config.HTTP_REFUSAL_DELAY_MS,
        // Its scripts are defined as commands on the connection it is given: not Pelita's own (see jobsConnection).
        redis: { client: this.jobsRedis, nameSpace: `${this.keys.prefix}:http-rate:` },
        exempt: (request) => access.isTrusted(request.headers.authorization),
      },
      isReady: async () => (await withTimeout(this.redis.ping(), 1000)) === 'PONG',
      metrics: metricsOpen
        ? { contentType: this.metrics.registry.contentType, render: () => this.metrics.registry.metrics(), token: config.METRICS_TOKEN }
        : undefined,
      docs: withChannel ? { version: PELITA_VERSION } : undefined,
      routes: withChannel
        ? [
            (app) => addCaseRoutes(app, { desk: this.cases, staff: staffTokens(config) }),
            (app) =>
              addBroadcastRoutes(app, {
                store: this.broadcasts,
                book: this.contacts,
                redis: this.redis,
                keys: this.keys,
                translator: this.options.ctx.translator,
                approvalThreshold: config.BROADCAST_APPROVAL_THRESHOLD,
                staff: staffTokens(config),
              }),
            ...this.channels.flatMap((channel) => (channel.addRoutes ? [(app: FastifyInstance) => channel.addRoutes!(app)] : [])),
          ]
        : [],
      log,
    });
    await this.server.listen({ port: withChannel ? config.PORT : (config.METRICS_PORT ?? 0), host: config.HOST });
  }
}

/** Staff members' admin API tokens (ADMIN_TOKEN is one more, named "admin"). */
export function staffTokens(config: Config): NamedToken[] {
  return [...config.ADMIN_TOKENS, ...(config.ADMIN_TOKEN ? [{ name: 'admin', token: config.ADMIN_TOKEN }] : [])];
}

/** The partner systems' server tokens for the HTTP channel (HTTP_CHANNEL_TOKEN is one more, "default"). */
function httpPartners(config: Config): { name: string; token: string }[] {
  return [...config.HTTP_CHANNEL_TOKENS, ...(config.HTTP_CHANNEL_TOKEN ? [{ name: 'default', token: config.HTTP_CHANNEL_TOKEN }] : [])];
}

/** Which Redis is in use, for the start log: host, port and database, never a password. */
export function redisShownAs(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}${parsed.pathname && parsed.pathname !== '/' ? parsed.pathname : ''}`;
  } catch {
    return 'an unreadable REDIS_URL';
  }
}
