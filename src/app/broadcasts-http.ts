import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { broadcastDefinitionSchema } from '../alerts/broadcast.ts';
import { BroadcastError, type BroadcastStore } from '../alerts/broadcast-store.ts';
import type { ContactBook } from '../alerts/contact-book.ts';
import type { Translator } from '../content/translator.ts';
import { holderOf, type NamedToken } from '../core/same-secret.ts';
import { requireStaff } from '../core/staff-auth.ts';
import type { RedisKeys } from '../redis/redis-keys.ts';
import { previewBroadcast } from './broadcast-preview.ts';

const ACTIONS = ['approve', 'send', 'pause', 'resume', 'cancel'] as const;

/** The definition's JSON Schema, for the OpenAPI document (zod checks the body itself, with its clearer messages). */
const definitionJsonSchema = z.toJSONSchema(broadcastDefinitionSchema, { io: 'input', unrepresentable: 'any' });

const error = { type: 'object', properties: { error: { type: 'string' } } } as const;
const anyObject = { type: 'object', additionalProperties: true } as const;
const idParam = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } as const;
const security = [{ staffToken: [] }];
/** Documentation only: requests are checked with zod (and the state machine) inside the handlers. */
const documentOnly = () => () => true;

/**
 * The admin API for broadcasts, for an NGO's own tools: the same as `pelita broadcast`.
 * Every request needs a staff member's token (ADMIN_TOKENS, or ADMIN_TOKEN named "admin");
 * every change is audited with that name.
 */
export function addBroadcastRoutes(
  app: FastifyInstance,
  deps: {
    store: BroadcastStore;
    book: ContactBook;
    redis: Redis;
    keys: RedisKeys;
    translator: Translator;
    approvalThreshold: number;
    staff: readonly NamedToken[];
  },
): void {
  const staffOf = (request: FastifyRequest) => holderOf(request.headers.authorization, deps.staff);
  const authorize = requireStaff(deps.staff);
  const act = async (reply: FastifyReply, action: () => Promise<unknown>) => {
    try {
      return reply.send(await action());
    } catch (failure) {
      if (failure instanceof BroadcastError) return reply.status(failure.status).send({ error: failure.message });
      throw failure;
    }
  };
  const common = { preHandler: authorize, validatorCompiler: documentOnly };

  app.post(
    '/v1/broadcasts',
    {
      ...common,
      schema: {
        summary: 'Create a broadcast (a draft); the same definition again is harmless',
        tags: ['broadcasts'],
        security,
        body: definitionJsonSchema,
        response: { 200: anyObject, 201: anyObject, 400: error, 401: error, 409: error },
      },
    },
    async (request, reply) => {
      const result = await deps.store.create(request.body, staffOf(request) as string, new Date()).catch((failure: unknown) => failure);
      if (result instanceof BroadcastError) return (reply as FastifyReply).status(result.status).send({ error: result.message });
      if (result instanceof Error) throw result;
      const { created, record } = result as Awaited<ReturnType<BroadcastStore['create']>>;
      return reply.status(created ? 201 : 200).send({ created, broadcast: record });
    },
  );

  app.get(
    '/v1/broadcasts',
    {
      ...common,
      schema: { summary: 'Every broadcast and its state', tags: ['broadcasts'], security, response: { 200: anyObject, 401: error } },
    },
    async (_request, reply) => reply.send({ broadcasts: await deps.store.list() }),
  );

  /** A GET of one broadcast, documented. */
  const one = (summary: string) => ({
    ...common,
    schema: { summary, tags: ['broadcasts'], security, params: idParam, response: { 200: anyObject, 401: error, 404: error } },
  });

  app.get<{ Params: { id: string } }>(
    '/v1/broadcasts/:id',
    one('A broadcast, its progress (sent, failed, skipped by reason, deferred, pending, ETA) and audit trail'),
    async (request, reply) =>
      act(reply, async () => {
        const now = new Date();
        const progress = await deps.store.progress(request.params.id, now);
        return { broadcast: await deps.store.get(request.params.id), progress, audit: await deps.store.auditTrail(request.params.id) };
      }),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/broadcasts/:id/preview',
    one('Who it would reach now, per channel, language and segment, and the message as each channel renders it'),
    async (request, reply) =>
      act(reply, async () => {
        const preview = await previewBroadcast(deps, request.params.id);
        if (!preview) throw new BroadcastError(404, `no broadcast "${request.params.id}"`);
        return preview;
      }),
  );

  for (const action of ACTIONS) {
    app.post<{ Params: { id: string } }>(
      `/v1/broadcasts/:id/${action}`,
      {
        ...common,
        schema: {
          summary: `${action[0]?.toUpperCase()}${action.slice(1)} a broadcast (audited with the token's name)`,
          tags: ['broadcasts'],
          security,
          params: idParam,
          response: { 200: anyObject, 401: error, 403: error, 404: error, 409: error },
        },
      },
      async (request, reply) =>
        act(reply, async () => ({ broadcast: await deps.store[action](request.params.id, staffOf(request) as string, new Date()) })),
    );
  }
}
