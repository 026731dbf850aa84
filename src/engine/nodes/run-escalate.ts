import type { EscalateNode } from '../../flows/flow-schema.ts';
import type { NodeOutcome, Turn } from '../turn.ts';

/** `escalate`: asks for a human, as an effect the worker turns into a durable job. */
export function runEscalate(node: EscalateNode, turn: Turn): NodeOutcome {
  turn.effects.push({ type: 'escalate', reason: node.reason });
  return node.next ? { kind: 'next', target: node.next } : { kind: 'stop' };
}
