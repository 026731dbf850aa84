/** One thing wrong with flows or content, as `pelita flows check` reports it. */
export interface FlowProblem {
  severity: 'error' | 'warning';
  /** A short rule name, e.g. `missing-target`, `missing-locale-key`. */
  rule: string;
  file: string;
  line?: number;
  /** The node at fault, as `flow:node`, when there is one. */
  node?: string;
  message: string;
}

export function formatProblem(problem: FlowProblem): string {
  const where = `${problem.file}${problem.line ? `:${problem.line}` : ''}`;
  return `${where}: ${problem.severity} [${problem.rule}]${problem.node ? ` node ${problem.node}:` : ''} ${problem.message}`;
}
