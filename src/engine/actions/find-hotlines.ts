import { z } from 'zod';
import { SERVICE_TYPES, type ServiceType } from '../../content/contact-schema.ts';
import type { ActionDefinition } from './action-registry.ts';

const input = z
  .object({
    country: z.string().optional(),
    /** Comma-separated contact types; missions and hotlines by default, "health" for crisis lines. */
    types: z.string().optional(),
  })
  .strict();

const DEFAULT_TYPES: readonly ServiceType[] = ['mission', 'hotline'];

/**
 * The contacts of the given types (the Indonesian mission and hotlines by default) in the
 * country a person is in. None for Indonesia itself: its national channels are listed by
 * the flows.
 */
export const findHotlines: ActionDefinition<z.infer<typeof input>> = {
  name: 'find_hotlines',
  description: "Missions and hotlines (or other types of contact) in the person's country.",
  input,
  outputs: ['hotline_ids', 'found'],
  run: ({ country, types }, ctx) => {
    if (!country || country === 'ID') return { hotline_ids: '', found: false };
    const wanted = types ? types.split(',').map((type) => type.trim()) : DEFAULT_TYPES;
    const unknown = wanted.filter((type) => !(SERVICE_TYPES as readonly string[]).includes(type));
    if (unknown.length > 0) throw new Error(`unknown contact types: ${unknown.join(', ')}`);
    const ids = ctx.contacts
      .all()
      .filter((entry) => entry.area?.country === country && wanted.includes(entry.type))
      // In the order asked for: missions before the local police, crisis lines in file order.
      .sort((a, b) => wanted.indexOf(a.type) - wanted.indexOf(b.type))
      .map((entry) => entry.id);
    return { hotline_ids: ids.join(','), found: ids.length > 0 };
  },
};
