import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { flowSchema, type Flow, type FlowNode } from './flow-schema.ts';
import type { FlowProblem } from '../content/flow-problem.ts';
import { FlowSet } from './flow-set.ts';
import { triggersFileSchema, type Trigger } from './triggers-schema.ts';
import { YamlSource } from '../content/yaml-source.ts';
import { ContentError } from '../content/content-error.ts';

export { FlowSet } from './flow-set.ts';

export const TRIGGERS_FILE = 'triggers.yaml';

export class FlowError extends ContentError {
  constructor(readonly problem: FlowProblem) {
    super(problem.file, `${problem.node ? `node ${problem.node}: ` : ''}${problem.message}`, problem.line);
    this.name = 'FlowError';
  }
}

/**
 * Reads `flows/*.yaml` and `flows/triggers.yaml`, and checks what must hold for a
 * conversation to run at all: the schema, unique ids, a `main` flow, and that every
 * target exists. Everything it finds is returned; nothing is thrown.
 */
export function readFlows(dir: string): { set: FlowSet; problems: FlowProblem[] } {
  const problems: FlowProblem[] = [];
  const flows = new Map<string, Flow>();
  const sources = new Map<string, YamlSource>();
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.yaml') && name !== TRIGGERS_FILE)
    .sort();

  for (const name of files) {
    const source = new YamlSource(path.join(dir, name));
    if (reportYamlErrors(source, problems)) continue;
    const parsed = flowSchema.safeParse(source.value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const nodeId = issue.path[0] === 'nodes' && issue.path[1] !== undefined ? String(issue.path[1]) : undefined;
        const field = issue.path.slice(nodeId ? 2 : 0).join('.');
        problems.push({
          severity: 'error',
          rule: 'schema',
          file: source.file,
          line: source.lineOf(issue.path),
          node: nodeId ? `${(source.value as { id?: string })?.id ?? '?'}:${nodeId}` : undefined,
          message: `${field ? `${field}: ` : ''}${issue.message}`,
        });
      }
      continue;
    }
    const flow = parsed.data;
    if (flows.has(flow.id)) {
      problems.push({
        severity: 'error',
        rule: 'duplicate-flow',
        file: source.file,
        line: source.lineOf(['id']),
        message: `flow id "${flow.id}" is also used by ${sources.get(flow.id)?.file}`,
      });
      continue;
    }
    flows.set(flow.id, flow);
    sources.set(flow.id, source);
  }

  const triggers = readTriggers(dir, problems);
  const set = new FlowSet(flows, triggers.list, sources);
  if (!flows.has('main') && !problems.some((problem) => problem.rule === 'schema' || problem.rule === 'yaml')) {
    problems.push({
      severity: 'error',
      rule: 'no-main-flow',
      file: dir,
      message: 'there is no flow with id "main": conversations start there',
    });
  }
  problems.push(...checkTargets(set), ...checkTriggerTargets(set, triggers.source));
  return { set, problems };
}

/** For running Pelita: the flows, or a FlowError naming the file, the node and what is wrong. */
export function loadFlows(dir: string): FlowSet {
  const { set, problems } = readFlows(dir);
  const first = problems.find((problem) => problem.severity === 'error');
  if (first) throw new FlowError(first);
  return set;
}

function reportYamlErrors(source: YamlSource, problems: FlowProblem[]): boolean {
  problems.push(...source.syntaxProblems());
  return source.errors.length > 0;
}

function readTriggers(dir: string, problems: FlowProblem[]): { list: Trigger[]; source?: YamlSource } {
  const file = path.join(dir, TRIGGERS_FILE);
  if (!existsSync(file)) return { list: [] };
  const source = new YamlSource(file);
  if (reportYamlErrors(source, problems)) return { list: [], source };
  const parsed = triggersFileSchema.safeParse(source.value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({
        severity: 'error',
        rule: 'schema',
        file,
        line: source.lineOf(issue.path),
        message: `${issue.path.join('.')}: ${issue.message}`,
      });
    }
    return { list: [], source };
  }
  return { list: parsed.data.triggers, source };
}

/** Every place a node leads to, with the YAML path of the field that says so. */
export function exitsOf(node: FlowNode): { target: string; path: (string | number)[] }[] {
  switch (node.type) {
    case 'say':
      return [
        ...(node.choices ?? []).flatMap((choice, i) => (choice.goto ? [{ target: choice.goto, path: ['choices', i, 'goto'] }] : [])),
        ...(node.next ? [{ target: node.next, path: ['next'] }] : []),
      ];
    case 'ask':
      return [
        ...(node.choices ?? []).flatMap((choice, i) => (choice.goto ? [{ target: choice.goto, path: ['choices', i, 'goto'] }] : [])),
        { target: node.next, path: ['next'] },
        ...(node.on_fail ? [{ target: node.on_fail, path: ['on_fail'] }] : []),
      ];
    case 'switch':
      return [...node.cases.map((c, i) => ({ target: c.goto, path: ['cases', i, 'goto'] })), { target: node.default, path: ['default'] }];
    case 'set':
    case 'show_card':
      return [{ target: node.next, path: ['next'] }];
    case 'action':
      return [{ target: node.next, path: ['next'] }, ...(node.on_error ? [{ target: node.on_error, path: ['on_error'] }] : [])];
    case 'escalate':
    case 'delete_data':
    case 'subscribe_alerts':
    case 'stop_alerts':
      return node.next ? [{ target: node.next, path: ['next'] }] : [];
    case 'goto':
      return [{ target: node.target, path: ['target'] }];
    case 'end':
      return [];
  }
}

function checkTargets(set: FlowSet): FlowProblem[] {
  const problems: FlowProblem[] = [];
  for (const flow of set.flows.values()) {
    const source = set.sources.get(flow.id);
    const file = source?.file ?? flow.id;
    if (!flow.nodes[flow.start]) {
      problems.push({
        severity: 'error',
        rule: 'missing-target',
        file,
        line: source?.lineOf(['start']),
        message: `start node "${flow.start}" does not exist`,
      });
    }
    for (const [nodeId, node] of Object.entries(flow.nodes)) {
      for (const exit of exitsOf(node)) {
        const to = set.resolve(flow.id, exit.target);
        if (set.node(to.flow, to.node)) continue;
        problems.push({
          severity: 'error',
          rule: 'missing-target',
          file,
          line: source?.lineOf(['nodes', nodeId, ...exit.path]),
          node: `${flow.id}:${nodeId}`,
          message: `target "${exit.target}" does not exist`,
        });
      }
    }
  }
  return problems;
}

function checkTriggerTargets(set: FlowSet, source: YamlSource | undefined): FlowProblem[] {
  return set.triggers.flatMap((trigger, index) => {
    const to = set.resolve('main', trigger.goto);
    if (set.node(to.flow, to.node)) return [];
    return [
      {
        severity: 'error' as const,
        rule: 'missing-target',
        file: source?.file ?? TRIGGERS_FILE,
        line: source?.lineOf(['triggers', index, 'goto']),
        message: `trigger "${trigger.id}": target "${trigger.goto}" does not exist`,
      },
    ];
  });
}
