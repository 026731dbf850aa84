import type { FlowNode } from '../../flows/flow-schema.ts';
import type { NodeOutcome, Turn } from '../turn.ts';
import { runAction } from './run-action.ts';
import { runSubscribeAlerts, runStopAlerts } from './run-alerts.ts';
import { runAsk } from './run-ask.ts';
import { runEscalate } from './run-escalate.ts';
import { runSay } from './run-say.ts';
import { runSet } from './run-set.ts';
import { runSwitch } from './run-switch.ts';
import { showCard } from '../answer-cards.ts';

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
    case 'show_card': {
      // The card, then "was this helpful?" waits where the card set it; no card, the next
      // node. The variable is used up either way: a card id kept is one thing less to forget.
      const card = turn.session.vars[node.card_from];
      delete turn.session.vars[node.card_from];
      return typeof card === 'string' && showCard(turn, card) ? { kind: 'stop' } : { kind: 'next', target: node.next };
    }
    case 'goto':
      return { kind: 'next', target: node.target };
    case 'end':
      return { kind: 'stop' };
  }
}
