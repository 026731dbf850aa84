import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SHIPPED_CONTENT } from '../../src/config/content-paths.ts';

/** A private copy of flows/, locales/ and content/ to break on purpose. */
export function copyContent(): {
  root: string;
  flows: string;
  locales: string;
  content: string;
  nlu: string;
  edit(file: string, change: (text: string) => string): void;
} {
  const root = mkdtempSync(path.join(tmpdir(), 'pelita-content-'));
  // The NLU data is read where it is: no test breaks it.
  const paths = {
    flows: path.join(root, 'flows'),
    locales: path.join(root, 'locales'),
    content: path.join(root, 'content'),
    nlu: SHIPPED_CONTENT.nlu,
  };
  cpSync(SHIPPED_CONTENT.flows, paths.flows, { recursive: true });
  cpSync(SHIPPED_CONTENT.locales, paths.locales, { recursive: true });
  cpSync(SHIPPED_CONTENT.content, paths.content, { recursive: true });
  return {
    root,
    ...paths,
    edit(file, change) {
      const full = path.join(root, file);
      const before = readFileSync(full, 'utf8');
      const after = change(before);
      if (after === before) throw new Error(`the edit changed nothing in ${file}`);
      writeFileSync(full, after);
    },
  };
}
