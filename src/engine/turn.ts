import type { Inbound } from '../core/messages/inbound.ts';
import type { Reply } from '../core/messages/reply.ts';
import type { Effect } from './effects.ts';
import type { EngineContext } from './engine-context.ts';
import type { Session } from './session.ts';

/** The working state of one step: node handlers read and add to it. */
export interface Turn {
  readonly ctx: EngineContext;
  readonly inbound: Inbound;
  session: Session;
  replies: Reply[];
  effects: Effect[];
  /** Every node run, as `flow:node`, for tests, coverage and debugging. */
  trail: string[];
}

/** What running one node leads to. */
export type NodeOutcome =
  | { kind: 'next'; target: string }
  | { kind: 'wait' }
  | { kind: 'stop' }
  | { kind: 'error'; message: string; target?: string };

export function languageOf(turn: Turn): string {
  return turn.session.language ?? turn.ctx.translator.fallback;
}
