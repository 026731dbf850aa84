import type { Flow, FlowNode } from '../flows/flow-schema.ts';

/** One arrow of a flow: from a node to a target (`node` or `flow:node`), with what takes it. */
export interface FlowEdge {
  from: string;
  to: string;
  label?: string;
}

/** Every way out of a node, in the order the node lists them. */
export function edgesOf(nodeId: string, node: FlowNode): FlowEdge[] {
  const edge = (to: string | undefined, label?: string): FlowEdge[] =>
    to === undefined ? [] : [{ from: nodeId, to, ...(label ? { label } : {}) }];
  switch (node.type) {
    case 'say':
      return [...(node.choices ?? []).flatMap((choice) => edge(choice.goto, choice.id)), ...edge(node.next)];
    case 'ask':
      return [
        ...(node.choices ?? []).flatMap((choice) => edge(choice.goto, choice.id)),
        ...edge(node.next, node.input),
        ...edge(node.on_fail, 'on_fail'),
      ];
    case 'switch':
      return [...node.cases.flatMap((entry, index) => edge(entry.goto, `case ${index + 1}`)), ...edge(node.default, 'default')];
    case 'set':
      return edge(node.next);
    case 'show_card':
      return edge(node.next, 'no card');
    case 'action':
      return [...edge(node.next, node.action), ...edge(node.on_error, 'on_error')];
    case 'escalate':
      return edge(node.next, node.reason);
    case 'delete_data':
    case 'subscribe_alerts':
    case 'stop_alerts':
      return edge(node.next);
    case 'goto':
      return edge(node.target);
    case 'end':
      return [];
  }
}

/** Mermaid ids allow letters, digits and underscores: a cross-flow target `main:menu` becomes `main__menu`. */
const mermaidId = (target: string) => target.replace(/[^a-zA-Z0-9_]/g, '__');

/** The shape says the node's kind: menus and questions wait for the person, the rest runs on. */
function shape(id: string, node: FlowNode): string {
  const text = `${id}<br/><i>${node.type}</i>`;
  switch (node.type) {
    case 'ask':
      return `${mermaidId(id)}[/"${text}"/]`;
    case 'switch':
      return `${mermaidId(id)}{"${text}"}`;
    case 'escalate':
    case 'delete_data':
    case 'subscribe_alerts':
    case 'stop_alerts':
      return `${mermaidId(id)}[["${text}"]]`;
    case 'end':
      return `${mermaidId(id)}(("${text}"))`;
    default:
      return `${mermaidId(id)}["${text}"]`;
  }
}

/**
 * A flow as a Mermaid flowchart (`pelita flows graph <flow>`), for content editors to see
 * where every node leads: the start is marked, targets in other flows are drawn as
 * stadiums named `flow:node`, and each arrow carries the choice, input or reason taking it.
 */
export function flowToMermaid(flow: Flow): string {
  const lines = ['flowchart TD', `  start_(["start: ${flow.id}"]) --> ${mermaidId(flow.start)}`];
  const outside = new Set<string>();
  for (const [id, node] of Object.entries(flow.nodes)) lines.push(`  ${shape(id, node)}`);
  for (const [id, node] of Object.entries(flow.nodes)) {
    for (const { from, to, label } of edgesOf(id, node)) {
      const local = to.startsWith(`${flow.id}:`) ? to.slice(flow.id.length + 1) : to;
      if (local.includes(':')) outside.add(local);
      lines.push(`  ${mermaidId(from)} -->${label ? `|${label}|` : ''} ${mermaidId(local)}`);
    }
  }
  for (const target of outside) lines.push(`  ${mermaidId(target)}(["${target}"])`);
  return `${lines.join('\n')}\n`;
}
