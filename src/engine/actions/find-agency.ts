import { z } from 'zod';
import type { ActionDefinition } from './action-registry.ts';

const input = z.object({ name: z.string() }).strict();

/**
 * Looks a company up in the imported licence list. `status` is `found`, `not_found` or
 * `no_list`; the flow always adds how to confirm on Siskop2MI, whatever the status.
 */
export const findAgency: ActionDefinition<z.infer<typeof input>> = {
  name: 'find_agency',
  description: 'Fuzzy-matches a company name against the imported P3MI licence list.',
  input,
  outputs: ['status', 'agency_text', 'imported_on'],
  run: ({ name }, ctx) => {
    if (ctx.agencies.size === 0) return { status: 'no_list', agency_text: '', imported_on: '' };
    const found = ctx.agencies.find(name);
    const lines = found.map(
      (agency) => `• ${agency.name} (${[agency.licenceNumber, agency.status, agency.province].filter(Boolean).join(', ')})`,
    );
    return {
      status: found.length > 0 ? 'found' : 'not_found',
      agency_text: lines.join('\n'),
      imported_on: ctx.agencies.meta?.importedOn ?? '',
    };
  },
};
