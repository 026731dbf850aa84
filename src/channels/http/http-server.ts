import { bearerToken, sameSecret } from '../../core/same-secret.ts';
import type { HttpAccess } from './http-access.ts';
import type { Socket } from 'node:net';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Redis } from 'ioredis';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from '../../core/log/logger.ts';
import { conversationIdOf } from '../../core/messages/channel.ts';
import type { InboundGateway } from '../../pipeline/inbound-gateway.ts';
import type { ReplyLog } from '../../pipeline/reply-log/reply-log.ts';
import { describeIssues, httpMessageSchema, repliesQuerySchema } from './http-message-schema.ts';

export const HTTP_BODY_LIMIT_BYTES = 64 * 1024;

export interface HttpServerDeps {
  /** The HTTP channel; without it (a worker process) only health and metrics are served. */
  channel?: { gateway: InboundGateway; replyLog: ReplyLog; access: HttpAccess } | undefined;
  /** Answers whether Redis is reachable, for /readyz. */
  isReady: () => Promise<boolean>;
  /** More routes: the webhooks of platform channels. */
  routes?: ((app: FastifyInstance) => void)[] | undefined;
  /** Prometheus text for /metrics; with a token, only for callers that send it. */
  metrics?: { contentType: string; render: () => Promise<string>; token?: string | undefined } | undefined;
  /** The OpenAPI document of the routes (served at /docs/json, with a page at /docs); off in a worker process. */
  docs?: { version: string } | undefined;
  /** Limits on what one address may use (see HTTP_REQUESTS_PER_MIN_PER_IP, HTTP_CONNECTIONS_PER_IP). */
  limits?: HttpLimits | undefined;
  log: Logger;
}

export interface HttpLimits {
  requestsPerMinutePerIp: number;
  connectionsPerIp: number;
  /**
   * How long an answer refusing a message over the inbound limits is held back (0: not).
   * A flooder's connections wait instead of firing again at once, so each connection costs
   * Pelita one cheap refusal a second rather than hundreds, and other people's answers
   * keep their pace (docs/decisions/README.md). Holding costs a timer, no work.
   */
  refusalDelayMs?: number | undefined;
  /** Where request counts are kept, so that every gateway process counts the same. */
  redis?: { client: Redis; nameSpace: string } | undefined;
  /** Requests no per-address limit applies to (a partner's server carries all its people). */
  exempt: (request: FastifyRequest) => boolean;
}

/** Health checks and webhooks: the first for load balancers, the second authenticated, and from platforms that carry everyone's traffic from few addresses. */
const NOT_RATE_LIMITED = /^\/(healthz|readyz|webhooks\/)/;

/**
 * The HTTP channel (for SMS gateways, partner apps and the web chat), the health endpoints
 * and /metrics. Request logging is off: URLs carry the person's id.
 */
export async function buildHttpServer(deps: HttpServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: HTTP_BODY_LIMIT_BYTES,
    logger: false,
    // A client must send its whole request within 10 s; a quiet connection is closed after
    // 40 s (a long poll waits 30 s at most), an idle keep-alive one after 5 s. Without these,
    // slow clients held their connections for ever and used up the process's descriptors.
    requestTimeout: 10_000,
    connectionTimeout: 40_000,
    keepAliveTimeout: 5_000,
    // Headers within 5 s, and the timeouts checked every second (Node checks every 30 s).
    http: { headersTimeout: 5_000, connectionsCheckingInterval: 1_000 },
  });
  const limits = deps.limits;
  if (limits) {
    limitConnectionsPerAddress(app, limits.connectionsPerIp);
    if (limits.requestsPerMinutePerIp > 0) {
      // Awaited: routes declared before the plugin has loaded would not be limited.
      await app.register(rateLimit, {
        global: true,
        max: limits.requestsPerMinutePerIp,
        timeWindow: 60_000,
        ...(limits.redis ? { redis: limits.redis.client, nameSpace: limits.redis.nameSpace } : {}),
        // With Redis away the channel answers 503 on its own; the limit is no reason to fail.
        skipOnError: true,
        allowList: (request) => NOT_RATE_LIMITED.test(request.url) || limits.exempt(request),
      });
    }
  }

  if (deps.docs) {
    // Before any route: the document is made from the routes declared after it.
    await app.register(swagger, {
      openapi: {
        info: {
          title: 'Pelita',
          version: deps.docs.version,
          description:
            'The HTTP channel (partners, the web chat) and the admin API (cases, broadcasts). Admin routes take a staff token: Authorization: Bearer <token> from ADMIN_TOKENS or ADMIN_TOKEN.',
        },
        components: { securitySchemes: { staffToken: { type: 'http', scheme: 'bearer' } } },
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
  }

  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) deps.log.error({ err: error }, 'HTTP request failed');
    const message = status === 413 ? `body larger than ${HTTP_BODY_LIMIT_BYTES} bytes` : status >= 500 ? 'internal error' : error.message;
    void reply.status(status).send({ error: message });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const ready = await deps.isReady().catch(() => false);
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'redis unreachable' });
  });

  const metrics = deps.metrics;
  if (metrics) {
    app.get('/metrics', async (request, reply) => {
      if (metrics.token !== undefined && !sameSecret(bearerToken(request.headers.authorization), metrics.token)) {
        return reply.status(401).header('www-authenticate', 'Bearer').send({ error: 'missing or wrong bearer token' });
      }
      return reply.type(metrics.contentType).send(await metrics.render());
    });
  }

  if (deps.channel) addChannelRoutes(app, deps.channel, deps.log, heldRefusals(app, deps.limits?.refusalDelayMs ?? 0));
  for (const addRoutes of deps.routes ?? []) addRoutes(app);
  return app;
}

/**
 * Waits `delayMs` before a refusal is sent; every wait ends at once when the server closes,
 * so that a stopping process is not held by them.
 */
function heldRefusals(app: FastifyInstance, delayMs: number): () => Promise<void> {
  const waiting = new Set<() => void>();
  app.addHook('preClose', (done) => {
    for (const release of waiting) release();
    done();
  });
  return () =>
    delayMs <= 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const release = () => {
            clearTimeout(timer);
            waiting.delete(release);
            resolve();
          };
          // Spread over half to one and a half times the delay: refusals held alike would
          // come back together and send the flooder's connections in as one wave.
          const timer = setTimeout(release, delayMs * (0.5 + Math.random()));
          waiting.add(release);
        });
}

function addChannelRoutes(
  app: FastifyInstance,
  deps: NonNullable<HttpServerDeps['channel']>,
  log: Logger,
  holdRefusal: () => Promise<void>,
): void {
  const refuse = (reply: FastifyReply, status: 401 | 403, error: string) => {
    if (status === 401) void reply.header('www-authenticate', 'Bearer');
    return reply.status(status).send({ error });
  };

  app.post('/v1/messages', async (request, reply) => {
    const caller = await deps.access.callerOf(request.headers.authorization);
    if (caller.kind === 'refused') return refuse(reply, 401, 'wrong or revoked bearer token');
    const parsed = httpMessageSchema.safeParse(request.body);
    if (!parsed.success) return reply.status(400).send({ error: describeIssues(parsed.error) });
    const message = parsed.data;
    let from = message.from;
    let issued: { from: string; token: string } | undefined;
    if (caller.kind === 'conversation') {
      if (from !== undefined && from !== caller.from) return refuse(reply, 403, 'this token is for another conversation');
      from = caller.from;
    } else if (caller.kind === 'anonymous' && from !== undefined) {
      return refuse(
        reply,
        401,
        `a token is needed to write as "${from}": a partner's token, or the conversation's own (leave out "from" to start a new conversation and get one)`,
      );
    }
    if (from === undefined) {
      issued = await deps.access.issue();
      from = issued.from;
    }
    try {
      const { duplicate, dropped } = await deps.gateway.accept({
        channel: 'http',
        conversationId: conversationIdOf('http', from),
        messageId: message.id,
        text: message.text,
        choice: message.choice,
        location: message.location,
        receivedAt: new Date().toISOString(),
      });
      if (dropped) {
        await holdRefusal();
        return reply
          .status(429)
          .header('retry-after', '60')
          .send({ error: 'too many messages from this sender, or too many new conversations: try again in a minute' });
      }
      return reply
        .status(202)
        .send({ accepted: true, duplicate, ...(issued ? { from: issued.from, conversationToken: issued.token } : {}) });
    } catch (error) {
      // Never answer 2xx for a message that is not safely queued: the sender must retry.
      log.error({ err: error }, 'could not queue an HTTP message');
      return reply.status(503).header('retry-after', '5').send({ error: 'could not queue the message now; retry later' });
    }
  });

  app.get<{ Params: { from: string }; Querystring: Record<string, string> }>('/v1/conversations/:from/replies', async (request, reply) => {
    const caller = await deps.access.callerOf(request.headers.authorization);
    if (caller.kind === 'refused') return refuse(reply, 401, 'wrong or revoked bearer token');
    if (caller.kind === 'anonymous') return refuse(reply, 401, "a token is needed to read a conversation's replies");
    if (caller.kind === 'conversation' && caller.from !== request.params.from)
      return refuse(reply, 403, 'this token is for another conversation');
    const query = repliesQuerySchema.safeParse(request.query);
    if (!query.success) return reply.status(400).send({ error: describeIssues(query.error) });
    const conversationId = conversationIdOf('http', request.params.from);
    const deadline = Date.now() + query.data.wait;
    let cursor = query.data.after;
    // Turn-end markers move the cursor but are not replies: keep waiting past them.
    for (;;) {
      const entries = await deps.replyLog.wait(conversationId, cursor, Math.max(0, deadline - Date.now()));
      cursor = entries.at(-1)?.cursor ?? cursor;
      const replies = entries.flatMap((entry) => (entry.type === 'reply' ? [entry.reply] : []));
      if (replies.length > 0 || entries.length === 0 || Date.now() >= deadline) return reply.send({ replies, cursor });
    }
  });
}

/** Closes a connection at once when its address already holds `most` open ones. */
function limitConnectionsPerAddress(app: FastifyInstance, most: number): void {
  const open = new Map<string, number>();
  app.server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = (open.get(address) ?? 0) + 1;
    if (count > most) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
