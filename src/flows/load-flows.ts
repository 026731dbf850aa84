import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { flowSchema, type Flow, type FlowNode } from './flow-schema.ts';

export class FlowError extends Error {
  constructor(readonly file: string, readonly where: string, detail: string) {
    super(`${file}: ${where}: ${detail}`);
    this.name = 'FlowError';
  }
}

/** All flows by id. The entry flow is `main`. */
export class FlowSet {
  constructor(readonly flows: ReadonlyMap<string, Flow>) {}

  node(flowId: string, nodeId: string): FlowNode | undefined {
    return this.flows.get(flowId)?.nodes[nodeId];
  }

  /** Resolves `node` (in `currentFlow`) or `flow:node` to a position. */
  resolve(currentFlow: string, target: string): { flow: string; node: string } {
    const colon = target.indexOf(':');
    return colon === -1
      ? { flow: currentFlow, node: target }
      : { flow: target.slice(0, colon), node: target.slice(colon + 1) };
  }
}

/** Reads every `*.yaml` in `dir`; a broken file stops the load with its name and the node at fault. */
export function loadFlows(dir: string): FlowSet {
  const flows = new Map<string, Flow>();
  const fileOf = new Map<string, string>();
  const files = readdirSync(dir).filter((name) => name.endsWith('.yaml')).sort();
  for (const name of files) {
    const file = path.join(dir, name);
    let raw: unknown;
    try {
      raw = parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new FlowError(file, 'YAML', error instanceof Error ? error.message : String(error));
    }
    const parsed = flowSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path[0] === 'nodes' && issue.path[1] !== undefined ? `node ${String(issue.path[1])}` : 'flow';
      const field = issue?.path.slice(2).join('.') || issue?.path.join('.');
      throw new FlowError(file, where, `${field ? `${field}: ` : ''}${issue?.message ?? 'invalid'}`);
    }
    const flow = parsed.data;
    if (flows.has(flow.id)) throw new FlowError(file, 'flow', `flow id "${flow.id}" is used by another file too`);
    flows.set(flow.id, flow);
    fileOf.set(flow.id, file);
  }
  const set = new FlowSet(flows);
  checkTargets(set, dir, fileOf);
  return set;
}

/** A goto to nowhere would strand a person mid-conversation: refuse to start instead. */
function checkTargets(set: FlowSet, dir: string, fileOf: ReadonlyMap<string, string>): void {
  if (!set.flows.has('main')) throw new FlowError(dir, 'flows', 'there is no flow with id "main"');
  for (const flow of set.flows.values()) {
    const file = fileOf.get(flow.id) ?? dir;
    const ensure = (nodeId: string, target: string) => {
      const { flow: flowId, node } = set.resolve(flow.id, target);
      if (!set.node(flowId, node)) throw new FlowError(file, `node ${nodeId}`, `target "${target}" does not exist`);
    };
    ensure('(start)', flow.start);
    for (const [nodeId, node] of Object.entries(flow.nodes)) {
      for (const target of targetsOf(node)) ensure(nodeId, target);
    }
  }
}

export function targetsOf(node: FlowNode): string[] {
  switch (node.type) {
    case 'say':
      return node.next ? [node.next] : [];
    case 'ask':
      return node.choices.map((choice) => choice.goto);
    case 'switch':
      return [...node.cases.map((c) => c.goto), node.default];
    case 'set':
      return [node.next];
    case 'goto':
      return [node.target];
    case 'end':
      return [];
  }
}
