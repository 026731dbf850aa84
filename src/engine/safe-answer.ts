import type { Inbound } from '../core/messages/inbound.ts';
import type { Reply } from '../core/messages/reply.ts';
import type { EngineContext } from './engine-context.ts';
import { renderContactLines } from './render-reply.ts';
import type { Session } from './session.ts';
import { whereabouts } from './situation.ts';
import type { Turn } from './turn.ts';

/** Who can help from where the person is, when Pelita itself could not answer. */
function helpFor(session: Session, ctx: EngineContext): string[] {
  const situation = session.situation ?? {};
  const where = whereabouts(situation);
  if (where === 'abroad' && situation.country) {
    const local = ctx.contacts
      .all()
      .filter((entry) => entry.area?.country === situation.country && (entry.type === 'mission' || entry.type === 'police'))
      .sort((a, b) => (a.type === 'mission' ? 0 : 1) - (b.type === 'mission' ? 0 : 1))
      .map((entry) => entry.id);
    return [...local, 'kp2mi_from_abroad'];
  }
  if (where === 'abroad' || where === 'at_sea') return ['kp2mi_from_abroad', 'kemlu_safe_travel'];
  if (where === 'indonesia') return ['police_110', 'sapa_129', 'kp2mi_call_centre'];
  return ['police_110', 'kp2mi_call_centre', 'kp2mi_from_abroad', 'kemlu_safe_travel'];
}

/**
 * The answer to a message Pelita failed on again and again (a dead letter): sorry, it is
 * recorded for the team, and the numbers that help where the person is, dialled as they
 * work from there. Never silence, and never a promise that a case worker will write.
 */
export function safeAnswer(
  session: Session,
  ctx: EngineContext,
  inbound: Pick<Inbound, 'receivedAt' | 'conversationId' | 'channel'>,
  /** What comes before the numbers: the dead letter's apology, or the inbound limits' "slow down". */
  reason: 'dead_letter' | 'rate_limited' = 'dead_letter',
): Reply {
  const language = session.language ?? ctx.translator.fallback;
  const turn: Turn = { ctx, inbound: { ...inbound, messageId: 'safe-answer' }, session, replies: [], effects: [], trail: [] };
  const lines = [ctx.translator.t(`common.${reason}`, language), ...renderContactLines(turn, helpFor(session, ctx), language)];
  return { text: lines.join('\n') };
}
