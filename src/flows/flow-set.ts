import type { Flow, FlowNode } from './flow-schema.ts';
import type { Trigger } from './triggers-schema.ts';
import type { YamlSource } from '../content/yaml-source.ts';

export interface Position {
  flow: string;
  node: string;
}

/** All flows by id, and the global triggers. The entry flow is `main`. */
export class FlowSet {
  constructor(
    readonly flows: ReadonlyMap<string, Flow>,
    readonly triggers: readonly Trigger[] = [],
    /** Where each flow was read from, for messages that name a file and a line. */
    readonly sources: ReadonlyMap<string, YamlSource> = new Map(),
  ) {}

  node(flowId: string, nodeId: string): FlowNode | undefined {
    return this.flows.get(flowId)?.nodes[nodeId];
  }

  /** `node` (in `currentFlow`) or `flow:node`; a bare flow id is not a target. */
  resolve(currentFlow: string, target: string): Position {
    const colon = target.indexOf(':');
    return colon === -1 ? { flow: currentFlow, node: target } : { flow: target.slice(0, colon), node: target.slice(colon + 1) };
  }

  /** The entry point: main's start node. */
  get entry(): Position {
    return { flow: 'main', node: this.flows.get('main')?.start ?? '' };
  }
}
