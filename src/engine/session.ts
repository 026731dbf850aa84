import type { VariableValue } from '../flows/flow-schema.ts';
import type { Situation } from './situation.ts';

export const SESSION_VERSION = 1;

/**
 * What Pelita remembers about one conversation: as little as the flows need. `waiting` is
 * the question the person is answering, if any.
 */
export interface Session {
  v: typeof SESSION_VERSION;
  conversationId: string;
  language?: string;
  waiting?: { flow: string; node: string; retries: number };
  vars: Record<string, VariableValue>;
  /** Where the person is, their stage and sector: flows read it as variables (situation.ts). */
  situation?: Situation;
  updatedAt: string;
}

export function newSession(conversationId: string, now: string): Session {
  return { v: SESSION_VERSION, conversationId, vars: {}, updatedAt: now };
}
