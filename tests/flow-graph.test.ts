import { describe, expect, it } from 'vitest';
import { edgesOf, flowToMermaid } from '../src/authoring/flow-graph.ts';
import { SHIPPED_CONTENT } from '../src/config/content-paths.ts';
import { loadFlows } from '../src/flows/load-flows.ts';

const flows = loadFlows(SHIPPED_CONTENT.flows);

describe('pelita flows graph', () => {
  it('draws every node and every way out of it, for every shipped flow', () => {
    for (const flow of flows.flows.values()) {
      const graph = flowToMermaid(flow);
      const lines = graph.trim().split('\n');
      expect(lines[0]).toBe('flowchart TD');
      // Mermaid ids: letters, digits and underscores only, on every arrow.
      for (const line of lines.filter((entry) => entry.includes('-->'))) {
        expect(line).toMatch(/^ {2}[A-Za-z0-9_]+(\(\[.*\]\))? -->(\|[^|]+\|)? [A-Za-z0-9_]+$/);
      }
      const nodes = Object.entries(flow.nodes);
      for (const [id, node] of nodes)
        expect(lines.some((line) => line.startsWith(`  ${id}`) && line.includes(`<i>${node.type}</i>`))).toBe(true);
      const arrows = lines.filter((line) => line.includes('-->') && !line.includes('start_'));
      expect(arrows).toHaveLength(nodes.reduce((sum, [id, node]) => sum + edgesOf(id, node).length, 0));
    }
  });

  it('labels choices and names targets in other flows', () => {
    const graph = flowToMermaid(flows.flows.get('answers')!);
    expect(graph).toContain('  start_(["start: answers"]) --> feedback\n');
    expect(graph).toContain('  feedback -->|helpful| helpful\n');
    expect(graph).toContain('  feedback -->|menu| main__menu\n');
    expect(graph).toContain('  main__menu(["main:menu"])\n');
  });
});
