import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FlowProblem } from './flow-problem.ts';
import { YamlSource } from './yaml-source.ts';
import { contactSchema, type Contact } from './contact-schema.ts';
import { ContentError } from './content-error.ts';

export class ContactDirectory {
  private readonly byId: ReadonlyMap<string, Contact>;

  constructor(contacts: Contact[]) {
    this.byId = new Map(contacts.map((contact) => [contact.id, contact]));
  }

  get(id: string): Contact | undefined {
    return this.byId.get(id);
  }

  all(): Contact[] {
    return [...this.byId.values()];
  }
}

/** The directory's files: national hotlines and missions, and local services. */
export const DIRECTORY_FILES = ['contacts.yaml', 'services.yaml'];

/** Reads the directory; every entry must say where it came from and when it was checked. */
export function readContacts(contentDir: string): { directory: ContactDirectory; problems: FlowProblem[] } {
  const contacts: Contact[] = [];
  const problems: FlowProblem[] = [];
  const seen = new Set<string>();
  for (const name of DIRECTORY_FILES) {
    const file = path.join(contentDir, name);
    if (name !== DIRECTORY_FILES[0] && !existsSync(file)) continue;
    readDirectoryFile(file, contacts, problems, seen);
  }
  return { directory: new ContactDirectory(contacts), problems };
}

function readDirectoryFile(file: string, contacts: Contact[], problems: FlowProblem[], seen: Set<string>): void {
  const source = new YamlSource(file);
  if (source.errors.length > 0) {
    problems.push(...source.syntaxProblems());
    return;
  }
  const list = (source.value as { contacts?: unknown } | null)?.contacts;
  if (!Array.isArray(list)) {
    problems.push({ severity: 'error', rule: 'schema', file, line: 1, message: 'expected a list under "contacts"' });
    return;
  }
  // Entry by entry: one contact without provenance must not hide the others.
  list.forEach((entry: unknown, index) => {
    const parsed = contactSchema.safeParse(entry);
    const id = (entry as { id?: unknown } | null)?.id;
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.join('.');
        const rule = field === 'source' || field === 'verifiedOn' ? 'contact-provenance' : 'schema';
        problems.push({
          severity: 'error',
          rule,
          file,
          line: source.lineOf(['contacts', index, ...issue.path]),
          message: `contact ${typeof id === 'string' ? id : `#${index + 1}`}: ${field ? `${field}: ` : ''}${issue.message}`,
        });
      }
      return;
    }
    if (seen.has(parsed.data.id)) {
      problems.push({
        severity: 'error',
        rule: 'duplicate-contact',
        file,
        line: source.lineOf(['contacts', index, 'id']),
        message: `contact id "${parsed.data.id}" appears twice`,
      });
    }
    seen.add(parsed.data.id);
    contacts.push(parsed.data);
  });
}

/** For running Pelita: the contacts, or an error naming the file, line and contact. */
export function loadContacts(contentDir: string): ContactDirectory {
  const { directory, problems } = readContacts(contentDir);
  const first = problems[0];
  if (first) throw new ContentError(first.file, first.message, first.line);
  return directory;
}
