import { z } from 'zod';
import type { ActionDefinition } from './action-registry.ts';

const input = z.object({ text: z.string() }).strict();

/** How many flags are explained in a chat reply; the command line shows them all. */
const SHOWN_FLAGS = 5;

/**
 * Red-flag analysis of a job offer the person pasted or forwarded (as `text`, or
 * "{{message}}" for the message being answered). Outputs the risk, and the flags explained in the
 * person's language with the words that raised them.
 */
export const checkOffer: ActionDefinition<z.infer<typeof input>> = {
  name: 'check_offer',
  description: 'Rates a job offer low, medium or high risk from red-flag patterns in content/red-flags.yaml.',
  input,
  outputs: ['risk', 'score', 'flag_ids', 'flags_text', 'length', 'illegal'],
  run: ({ text }, ctx) => {
    const result = ctx.offers.check(text);
    const lines = result.flags
      .slice(0, SHOWN_FLAGS)
      .map((flag) => ctx.t('offer_flags.flag_line', { explanation: ctx.t(flag.explanation), evidence: flag.evidence.slice(0, 60) }));
    // A banned placement is reported, not checked: no licence makes it legal.
    const illegal = result.flags.some((flag) => ctx.offers.isIllegal(flag.id));
    return {
      risk: result.risk,
      score: result.score,
      flag_ids: result.flags.map((flag) => flag.id).join(','),
      flags_text: lines.join('\n'),
      length: text.trim().length,
      illegal,
    };
  },
};
