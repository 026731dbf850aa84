import type { ActionRegistry } from '../engine/actions/action-registry.ts';
import type { ContactDirectory } from '../content/contact-directory.ts';
import type { Translator } from '../content/translator.ts';
import type { FlowProblem } from '../content/flow-problem.ts';
import type { FlowNode } from '../flows/flow-schema.ts';
import type { FlowSet } from '../flows/flow-set.ts';

/** What every check reads. */
export interface LintContext {
  flows: FlowSet;
  translator: Translator;
  contacts: ContactDirectory;
  actions: ActionRegistry;
  flowsDir: string;
  localesDir: string;
  contentDir: string;
}

export type Check = (context: LintContext) => FlowProblem[];

/** Every node with where it stands, for checks that walk them all. */
export function eachNode(flows: FlowSet): { flowId: string; nodeId: string; node: FlowNode; file: string; line: number | undefined }[] {
  return [...flows.flows.values()].flatMap((flow) => {
    const source = flows.sources.get(flow.id);
    return Object.entries(flow.nodes).map(([nodeId, node]) => ({
      flowId: flow.id,
      nodeId,
      node,
      file: source?.file ?? flow.id,
      line: source?.lineOf(['nodes', nodeId]),
    }));
  });
}
