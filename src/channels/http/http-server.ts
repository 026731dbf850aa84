import { bearerToken, sameSecret } from '../../security/same-secret.ts';
import type { HttpAccess } from './http-access.ts';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from '../../log/logger.ts';
import { conversationIdOf } from '../../messages/channel.ts';
import type { InboundGateway } from '../../pipeline/inbound-gateway.ts';
import type { ReplyLog } from '../reply-log/reply-log.ts';
import { describeIssues, httpMessageSchema, repliesQuerySchema } from './http-message-schema.ts';

export const HTTP_BODY_LIMIT_BYTES = 64 * 1024;

export interface HttpServerDeps {
  /** The HTTP channel; without it (a worker process) only health and metrics are served. */
  channel?: { gateway: InboundGateway; replyLog: ReplyLog; access: HttpAccess } | undefined;
  /** Answers whether Redis is reachable, for /readyz. */
  isReady: () => Promise<boolean>;
  /** More routes: the webhooks of platform channels. */
  routes?: ((app: FastifyInstance) => void)[] | undefined;
  /** Prometheus text for /metrics. */
  /** Prometheus text for /metrics; with a token, only for callers that send it. */
  metrics?: { contentType: string; render: () => Promise<string>; token?: string | undefined } | undefined;
  log: Logger;
}

/**
 * The HTTP channel (for SMS gateways, partner apps and the web chat), the health endpoints
 * and /metrics. Request logging is off: URLs carry the person's id.
 */
export function buildHttpServer(deps: HttpServerDeps): FastifyInstance {
  const app = Fastify({ bodyLimit: HTTP_BODY_LIMIT_BYTES, logger: false });

  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) deps.log.error({ err: error }, 'HTTP request failed');
    const message =
      status === 413 ? `body larger than ${HTTP_BODY_LIMIT_BYTES} bytes` : status >= 500 ? 'internal error' : error.message;
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

  if (deps.channel) addChannelRoutes(app, deps.channel, deps.log);
  for (const addRoutes of deps.routes ?? []) addRoutes(app);
  return app;
}

function addChannelRoutes(app: FastifyInstance, deps: NonNullable<HttpServerDeps['channel']>, log: Logger): void {
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
      return refuse(reply, 401, `a token is needed to write as "${from}": a partner's token, or the conversation's own (leave out "from" to start a new conversation and get one)`);
    }
    if (from === undefined) {
      issued = await deps.access.issue();
      from = issued.from;
    }
    try {
      const { duplicate } = await deps.gateway.accept({
        channel: 'http',
        conversationId: conversationIdOf('http', from),
        messageId: message.id,
        text: message.text,
        choice: message.choice,
        location: message.location,
        receivedAt: new Date().toISOString(),
      });
      return reply.status(202).send({ accepted: true, duplicate, ...(issued ? { from: issued.from, conversationToken: issued.token } : {}) });
    } catch (error) {
      // Never answer 2xx for a message that is not safely queued: the sender must retry.
      log.error({ err: error }, 'could not queue an HTTP message');
      return reply.status(503).header('retry-after', '5').send({ error: 'could not queue the message now; retry later' });
    }
  });

  app.get<{ Params: { from: string }; Querystring: Record<string, string> }>(
    '/v1/conversations/:from/replies',
    async (request, reply) => {
      const caller = await deps.access.callerOf(request.headers.authorization);
      if (caller.kind === 'refused') return refuse(reply, 401, 'wrong or revoked bearer token');
      if (caller.kind === 'anonymous') return refuse(reply, 401, "a token is needed to read a conversation's replies");
      if (caller.kind === 'conversation' && caller.from !== request.params.from) return refuse(reply, 403, 'this token is for another conversation');
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
    },
  );
}
