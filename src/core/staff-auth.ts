import type { FastifyReply, FastifyRequest } from 'fastify';
import { holderOf, type NamedToken } from './same-secret.ts';

/**
 * A route guard for the admin API: a staff member's bearer token (ADMIN_TOKENS, or
 * ADMIN_TOKEN named "admin"), else 401; with no staff tokens set, the admin API is off.
 */
export function requireStaff(
  staff: readonly NamedToken[],
): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined> {
  return async (request, reply) => {
    if (holderOf(request.headers.authorization, staff) !== undefined) return undefined;
    return reply
      .status(401)
      .header('www-authenticate', 'Bearer')
      .send({ error: staff.length > 0 ? 'missing or wrong bearer token' : 'the admin API is off: set ADMIN_TOKENS or ADMIN_TOKEN' });
  };
}
