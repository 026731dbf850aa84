import type { FlowProblem } from '../content/flow-problem.ts';
import { isQuestion } from '../flows/flow-schema.ts';
import { exitsOf } from '../flows/load-flows.ts';
import { eachNode, type Check } from './lint-context.ts';

/**
 * A question must lead somewhere: every menu choice needs a target, and at least one
 * answer must lead away from the question (a menu whose every choice comes straight back
 * traps the person until they know to type "menu").
 */
export const checkQuestions: Check = ({ flows }) => {
  const problems: FlowProblem[] = [];
  for (const { flowId, nodeId, node, file, line } of eachNode(flows)) {
    if (!isQuestion(node)) continue;
    const at = `${flowId}:${nodeId}`;
    if (node.type === 'say' && !node.next) {
      for (const choice of node.choices.filter((c) => !c.goto)) {
        problems.push({
          severity: 'error',
          rule: 'dead-end-choice',
          file,
          line,
          node: at,
          message: `choice "${choice.id}" has no goto and the menu has no next`,
        });
      }
    }
    // Follow the exits through nodes that do not wait, up to the next question or end.
    const stops = new Set<string>();
    const seen = new Set<string>();
    const queue = exitsOf(node).map((exit) => flows.resolve(flowId, exit.target));
    while (queue.length > 0) {
      const position = queue.pop()!;
      const key = `${position.flow}:${position.node}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const next = flows.node(position.flow, position.node);
      if (!next) continue;
      const exits = exitsOf(next);
      if (isQuestion(next) || exits.length === 0) stops.add(key);
      else queue.push(...exits.map((exit) => flows.resolve(position.flow, exit.target)));
    }
    if (stops.size === 1 && stops.has(at)) {
      problems.push({
        severity: 'error',
        rule: 'no-way-out',
        file,
        line,
        node: at,
        message: 'every answer leads back to this same question',
      });
    }
  }
  return problems;
};
