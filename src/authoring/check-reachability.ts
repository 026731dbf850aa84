import { ANSWER_FEEDBACK, DID_YOU_MEAN, NOT_UNDERSTOOD } from '../engine/engine-keys.ts';
import { exitsOf } from '../flows/load-flows.ts';
import { eachNode, type Check } from './lint-context.ts';

/** A node nothing leads to is content nobody sees: usually a typo in a goto. */
export const checkReachability: Check = ({ flows }) => {
  const reached = new Set<string>();
  // The engine itself leads to "not understood" and to what follows an answer-bank card.
  const engineEntries = [NOT_UNDERSTOOD, ANSWER_FEEDBACK, DID_YOU_MEAN].filter((position) => flows.node(position.flow, position.node));
  const queue = [flows.entry, ...flows.triggers.map((trigger) => flows.resolve('main', trigger.goto)), ...engineEntries];
  while (queue.length > 0) {
    const position = queue.pop()!;
    const key = `${position.flow}:${position.node}`;
    if (reached.has(key)) continue;
    const node = flows.node(position.flow, position.node);
    if (!node) continue;
    reached.add(key);
    for (const exit of exitsOf(node)) queue.push(flows.resolve(position.flow, exit.target));
  }
  return eachNode(flows)
    .filter(({ flowId, nodeId }) => !reached.has(`${flowId}:${nodeId}`))
    .map(({ flowId, nodeId, file, line }) => ({
      severity: 'error' as const,
      rule: 'unreachable-node',
      file,
      line,
      node: `${flowId}:${nodeId}`,
      message: 'no start, goto, choice or trigger leads here',
    }));
};
