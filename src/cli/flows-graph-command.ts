import { flowToMermaid } from '../authoring/flow-graph.ts';
import { contentPathsFrom } from '../config/content-paths.ts';
import { formatProblem } from '../content/flow-problem.ts';
import { readFlows } from '../flows/load-flows.ts';

/**
 * `pelita flows graph [flow]`: one flow as a Mermaid flowchart on stdout (paste it into a
 * Markdown file or mermaid.live); without a flow id, the ids there are. Exit 1 for an
 * unknown flow or flows that do not load.
 */
export function flowsGraphCommand(flowId: string | undefined, env: NodeJS.ProcessEnv = process.env): number {
  const { set, problems } = readFlows(contentPathsFrom(env).flows);
  const errors = problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0) {
    for (const problem of errors) process.stderr.write(`${formatProblem(problem)}\n`);
    return 1;
  }
  const ids = [...set.flows.keys()].sort();
  if (flowId === undefined) {
    process.stdout.write(`flows: ${ids.join(', ')}\nshow one with: pelita flows graph <flow>\n`);
    return 0;
  }
  const flow = set.flows.get(flowId);
  if (!flow) {
    process.stderr.write(`pelita: no flow "${flowId}"; the flows are: ${ids.join(', ')}\n`);
    return 1;
  }
  process.stdout.write(flowToMermaid(flow));
  return 0;
}
