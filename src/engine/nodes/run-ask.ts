import type { AskNode } from '../../flows/flow-schema.ts';
import { renderQuestion } from '../render-reply.ts';
import type { NodeOutcome, Turn } from '../turn.ts';

/** `ask`: puts the question and waits; the answer is read by `answerQuestion`. */
export function runAsk(node: AskNode, turn: Turn): NodeOutcome {
  turn.replies.push(renderQuestion(turn, node));
  return { kind: 'wait' };
}
