import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { contactsFileSchema, type Contact } from './contact-schema.ts';

export class ContactDirectory {
  private readonly byId: ReadonlyMap<string, Contact>;

  constructor(contacts: Contact[]) {
    this.byId = new Map(contacts.map((contact) => [contact.id, contact]));
  }

  get(id: string): Contact | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.byId.size;
  }
}

export function loadContacts(contentDir: string): ContactDirectory {
  const file = path.join(contentDir, 'contacts.yaml');
  const parsed = contactsFileSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const index = issue?.path[1];
    throw new Error(`${file}: contact ${typeof index === 'number' ? `#${index + 1}` : ''} ${issue?.path.slice(2).join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const ids = new Set<string>();
  for (const contact of parsed.data.contacts) {
    if (ids.has(contact.id)) throw new Error(`${file}: contact id "${contact.id}" appears twice`);
    ids.add(contact.id);
  }
  return new ContactDirectory(parsed.data.contacts);
}
