import { z } from 'zod';
import type { ActionDefinition } from './action-registry.ts';

const input = z.object({ country: z.string().optional() }).strict();

/**
 * The Indonesian mission and local hotlines in the country a person is in (none for
 * Indonesia itself: the national channels are listed by the flow).
 */
export const findHotlines: ActionDefinition<z.infer<typeof input>> = {
  name: 'find_hotlines',
  description: "Missions and hotlines in the person's country.",
  input,
  outputs: ['hotline_ids', 'found'],
  run: ({ country }, ctx) => {
    if (!country || country === 'ID') return { hotline_ids: '', found: false };
    const ids = ctx.contacts
      .all()
      .filter((entry) => entry.area?.country === country && (entry.type === 'mission' || entry.type === 'hotline'))
      .map((entry) => entry.id);
    return { hotline_ids: ids.join(','), found: ids.length > 0 };
  },
};
