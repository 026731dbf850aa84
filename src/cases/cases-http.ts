import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { CaseActionError, type CaseDesk, type Operator } from './case-desk.ts';
import { CASE_STATUSES } from './case.ts';
import type { NamedToken } from '../core/same-secret.ts';
import { requireStaff } from '../core/staff-auth.ts';

const operatorBody = z.object({ operator: z.string().trim().min(1).max(100) }).strict();
const replyBody = z
  .object({ operator: z.string().trim().min(1).max(100), text: z.string().trim().min(1).max(4000), id: z.string().max(100).optional() })
  .strict();
const listQuery = z.object({ status: z.enum([...CASE_STATUSES, 'overdue']).optional() }).strict();

/** An operator acting through the admin API is known by the name they give. */
const operatorOf = (name: string): Operator => ({ id: `api:${name}`, name });

/**
 * The admin API for case workers without Telegram: GET /v1/cases, GET /v1/cases/:id,
 * POST /v1/cases/:id/claim|reply|resolve. Every request needs a staff token
 * (`Authorization: Bearer`, ADMIN_TOKEN or ADMIN_TOKENS); with none set it refuses everything.
 */
export function addCaseRoutes(app: FastifyInstance, deps: { desk: CaseDesk; staff: readonly NamedToken[] }): void {
  const authorize = requireStaff(deps.staff);
  const act = async (reply: FastifyReply, action: () => Promise<unknown>) => {
    try {
      return reply.send(await action());
    } catch (error) {
      if (error instanceof CaseActionError) return reply.status(error.status).send({ error: error.message });
      throw error;
    }
  };

  app.get('/v1/cases', { preHandler: authorize }, async (request, reply) => {
    const query = listQuery.safeParse(request.query);
    if (!query.success) return reply.status(400).send({ error: 'status must be open, claimed, resolved or overdue' });
    return reply.send({ cases: await deps.desk.store.list(query.data.status ? { status: query.data.status } : {}) });
  });

  app.get<{ Params: { id: string } }>('/v1/cases/:id', { preHandler: authorize }, async (request, reply) => {
    const found = await deps.desk.store.get(request.params.id);
    if (!found) return reply.status(404).send({ error: `no case ${request.params.id}` });
    return reply.send({ case: found, audit: await deps.desk.store.auditTrail(found.id) });
  });

  app.post<{ Params: { id: string } }>('/v1/cases/:id/claim', { preHandler: authorize }, async (request, reply) => {
    const body = operatorBody.safeParse(request.body);
    if (!body.success) return reply.status(400).send({ error: 'expected {"operator": "<name>"}' });
    return act(reply, async () => ({ case: await deps.desk.claim(request.params.id, operatorOf(body.data.operator)) }));
  });

  app.post<{ Params: { id: string } }>('/v1/cases/:id/reply', { preHandler: authorize }, async (request, reply) => {
    const body = replyBody.safeParse(request.body);
    if (!body.success)
      return reply.status(400).send({ error: 'expected {"operator": "<name>", "text": "...", "id"?: "<your message id>"}' });
    const { operator, text, id } = body.data;
    return act(reply, async () => {
      await deps.desk.reply(request.params.id, operatorOf(operator), text, `api-${id ?? Date.now()}`);
      return { delivered: true };
    });
  });

  app.post<{ Params: { id: string } }>('/v1/cases/:id/resolve', { preHandler: authorize }, async (request, reply) => {
    const body = operatorBody.safeParse(request.body);
    if (!body.success) return reply.status(400).send({ error: 'expected {"operator": "<name>"}' });
    return act(reply, async () => ({ case: await deps.desk.resolve(request.params.id, operatorOf(body.data.operator)) }));
  });
}
