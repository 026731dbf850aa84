import type { SayNode } from '../../flows/flow-schema.ts';
import { renderNodeText, renderQuestion } from '../render-reply.ts';
import type { NodeOutcome, Turn } from '../turn.ts';

/** `say`: a message; with choices it is a menu and waits for the person. */
export function runSay(node: SayNode, turn: Turn): NodeOutcome {
  if (node.choices) {
    turn.replies.push(renderQuestion(turn, { ...node, choices: node.choices }));
    return { kind: 'wait' };
  }
  turn.replies.push({ text: renderNodeText(turn, node) });
  return node.next ? { kind: 'next', target: node.next } : { kind: 'stop' };
}
