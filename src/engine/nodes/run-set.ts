import type { SetNode } from '../../flows/flow-schema.ts';
import { setVariables, unsetVariables } from '../set-variables.ts';
import type { NodeOutcome, Turn } from '../turn.ts';

/** `set`: sets and clears session variables. */
export function runSet(node: SetNode, turn: Turn): NodeOutcome {
  unsetVariables(turn, node.unset ?? []);
  setVariables(turn, node.values ?? {});
  return { kind: 'next', target: node.next };
}
