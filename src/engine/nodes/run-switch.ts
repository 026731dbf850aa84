import type { SwitchNode } from '../../flows/flow-schema.ts';
import { holds } from '../conditions.ts';
import { unsetVariables } from '../set-variables.ts';
import type { NodeOutcome, Turn } from '../turn.ts';

/** `switch`: the first case whose condition holds, else the default; then forgets `unset`. */
export function runSwitch(node: SwitchNode, turn: Turn): NodeOutcome {
  const match = node.cases.find((c) => holds(c.when, turn));
  unsetVariables(turn, node.unset ?? []);
  return { kind: 'next', target: match ? match.goto : node.default };
}
