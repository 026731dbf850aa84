import { z } from 'zod';

export const CASE_STATUSES = ['open', 'claimed', 'resolved'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** A person who needs a human, from the moment they asked (or were found in danger). */
export const caseSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  channel: z.string(),
  language: z.string().optional(),
  /** Where they are, when a flow learnt it (ISO code). */
  country: z.string().optional(),
  /** emergency, talk_to_person, screening... (the escalate node's reason). */
  reason: z.string(),
  /** What Pelita knew of the person's situation (where, stage, sector), as codes; see situation.ts. */
  situation: z.record(z.string(), z.string()).optional(),
  /** The warning-signs screening's answers and score, when they took it. */
  screening: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  status: z.enum(CASE_STATUSES),
  /** Not claimed within the SLA: re-posted to the operators. */
  overdue: z.boolean(),
  operator: z.object({ id: z.string(), name: z.string() }).optional(),
  openedAt: z.string(),
  notifiedAt: z.string().optional(),
  claimedAt: z.string().optional(),
  resolvedAt: z.string().optional(),
  /** The operators' chat message the case hangs off (its thread), when posted there. */
  threadMessageId: z.number().optional(),
});
export type Case = z.infer<typeof caseSchema>;

export interface AuditEntry {
  at: string;
  event: string;
  /** Who: an operator's id, "system", or "person". Never what the person said. */
  by: string;
  detail?: string;
}
