import { createHash } from 'node:crypto';
import { channelOf } from '../core/messages/channel.ts';
import type { Case } from './case.ts';

/** A turn's request for a human: what the case it opens (or adds to) is made of. */
export interface CaseRequest {
  conversationId: string;
  /** The inbound message that led to it. */
  messageId: string;
  reason: string;
  language: string | undefined;
  requestedAt: string;
  /** Where the person is, when a flow learnt it. */
  country?: string;
  /** Where the person is, their stage and sector, as a case worker reads them. */
  situation?: Record<string, string>;
  /** The warning-signs screening's answers, when they took it (with their consent: it is their answer). */
  screening?: Record<string, string | number | boolean>;
}

/**
 * The case a request would open. Its id comes from the conversation and the message, so a
 * message handled again (after a crash) names the same case and cannot open a second one.
 */
export function caseFromRequest(request: CaseRequest): Case {
  const id = `C${createHash('sha256').update(`${request.conversationId}\n${request.messageId}`).digest('hex').slice(0, 7).toUpperCase()}`;
  return {
    id,
    conversationId: request.conversationId,
    channel: channelOf(request.conversationId),
    ...(request.language ? { language: request.language } : {}),
    ...(request.country ? { country: request.country } : {}),
    ...(request.screening ? { screening: request.screening } : {}),
    ...(request.situation && Object.keys(request.situation).length > 0 ? { situation: request.situation } : {}),
    reason: request.reason,
    status: 'open',
    overdue: false,
    openedAt: request.requestedAt,
  };
}
