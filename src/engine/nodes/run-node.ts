import type { FlowNode } from '../../flows/flow-schema.ts';
import type { NodeOutcome, Turn } from '../turn.ts';
import { runAction } from './run-action.ts';
import { runSubscribeAlerts, runStopAlerts } from './run-alerts.ts';
import { runAsk } from './run-ask.ts';
import { runEscalate } from './run-escalate.ts';
import { runSay } from './run-say.ts';
import { runSet } from './run-set.ts';
import { runSwitch } from './run-switch.ts';

/** Runs one node of any type. `delete_data`, `goto` and `end` are too small for a file of their own. */
export function runNode(node: FlowNode, turn: Turn): NodeOutcome {
  switch (node.type) {
    case 'say':
      return runSay(node, turn);
    case 'ask':
      return runAsk(node, turn);
    case 'switch':
      return runSwitch(node, turn);
    case 'set':
      return runSet(node, turn);
    case 'action':
      return runAction(node, turn);
    case 'escalate':
      return runEscalate(node, turn);
    case 'delete_data':
      // The worker deletes the stored data; this turn forgets it too, but keeps the
      // language so the confirmation is still in the person's language.
      turn.effects.push({ type: 'delete_data' });
      turn.session.vars = {};
      delete turn.session.situation;
      return node.next ? { kind: 'next', target: node.next } : { kind: 'stop' };
    case 'subscribe_alerts':
      return runSubscribeAlerts(node, turn);
    case 'stop_alerts':
      return runStopAlerts(node, turn);
    case 'goto':
      return { kind: 'next', target: node.target };
    case 'end':
      return { kind: 'stop' };
  }
}
