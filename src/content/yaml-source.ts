import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { FlowProblem } from './flow-problem.ts';

/** A parsed YAML file that can say on which line a value stands. */
export class YamlSource {
  readonly value: unknown;
  readonly errors: { line: number; message: string }[];
  private readonly document: Document;
  private readonly lines: LineCounter;

  constructor(readonly file: string) {
    this.lines = new LineCounter();
    this.document = parseDocument(readFileSync(file, 'utf8'), { lineCounter: this.lines, prettyErrors: false });
    this.errors = this.document.errors.map((error) => ({
      line: error.linePos?.[0]?.line ?? this.lineAt(error.pos[0]),
      message: error.message.split('\n')[0] ?? error.message,
    }));
    this.value = this.errors.length === 0 ? this.document.toJS() : undefined;
  }

  /** Its syntax errors as problems that name the file and the line. */
  syntaxProblems(): FlowProblem[] {
    return this.errors.map((error) => ({
      severity: 'error',
      rule: 'yaml',
      file: this.file,
      line: error.line,
      message: `YAML: ${error.message}`,
    }));
  }

  /** The line of the value at `path`, or of its nearest parent that exists. */
  lineOf(path: readonly PropertyKey[]): number | undefined {
    for (let length = path.length; length >= 0; length--) {
      const node = this.document.getIn(path.slice(0, length) as (string | number)[], true) as
        | { range?: [number, number, number] }
        | undefined;
      if (node?.range) return this.lineAt(node.range[0]);
    }
    return undefined;
  }

  private lineAt(offset: number): number {
    return this.lines.linePos(offset).line;
  }
}
