import { z } from 'zod';
import type { FlowProblem } from '../content/flow-problem.ts';
import { eachNode, type Check } from './lint-context.ts';

/** Actions must exist, get the inputs they declare, and be asked only for outputs they give. */
export const checkActions: Check = ({ flows, actions }) => {
  const problems: FlowProblem[] = [];
  for (const { flowId, nodeId, node, file, line } of eachNode(flows)) {
    if (node.type !== 'action') continue;
    const at = `${flowId}:${nodeId}`;
    const action = actions.get(node.action);
    if (!action) {
      problems.push({
        severity: 'error',
        rule: 'unknown-action',
        file,
        line,
        node: at,
        message: `action "${node.action}" is not in the registry (known: ${actions.names().join(', ')})`,
      });
      continue;
    }
    const shape = action.input.shape;
    const given = Object.keys(node.inputs ?? {});
    for (const name of given.filter((name) => !(name in shape))) {
      problems.push({
        severity: 'error',
        rule: 'action-input',
        file,
        line,
        node: at,
        message: `action "${node.action}" has no input "${name}"`,
      });
    }
    for (const [name, schema] of Object.entries(shape)) {
      if (!given.includes(name) && !z.safeParse(schema, undefined).success) {
        problems.push({
          severity: 'error',
          rule: 'action-input',
          file,
          line,
          node: at,
          message: `action "${node.action}" needs input "${name}"`,
        });
      }
    }
    for (const field of Object.keys(node.outputs ?? {}).filter((field) => !action.outputs.includes(field))) {
      problems.push({
        severity: 'error',
        rule: 'action-output',
        file,
        line,
        node: at,
        message: `action "${node.action}" gives no output "${field}" (it gives: ${action.outputs.join(', ')})`,
      });
    }
  }
  return problems;
};
