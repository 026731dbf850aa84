import { z } from 'zod';
import type { ActionDefinition } from './action-registry.ts';

const input = z.object({ values: z.array(z.union([z.boolean(), z.undefined()])).min(1) }).strict();

/** How many answers were "yes": the score of a yes/no screening. Skipped answers count as no. */
export const countTrue: ActionDefinition<z.infer<typeof input>> = {
  name: 'count_true',
  description: 'Counts the true values among the given yes/no answers.',
  input,
  outputs: ['count'],
  run: ({ values }) => ({ count: values.filter((value) => value === true).length }),
};
