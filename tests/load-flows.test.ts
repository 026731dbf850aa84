import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentPaths } from '../src/app/content-paths.ts';
import { loadContacts } from '../src/content/contact-directory.ts';
import { loadFlows } from '../src/flows/load-flows.ts';

function copyOfFlows(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pelita-flows-'));
  cpSync(contentPaths.flows, dir, { recursive: true });
  return dir;
}

describe('loading flows', () => {
  it('loads the shipped flows, and every contact they name exists', () => {
    const flows = loadFlows(contentPaths.flows);
    const contacts = loadContacts(contentPaths.content);
    for (const flow of flows.flows.values()) {
      for (const node of Object.values(flow.nodes)) {
        if ('contacts' in node) for (const id of node.contacts ?? []) expect(contacts.get(id), id).toBeDefined();
      }
    }
  });

  it('names the file, the node and the target of a goto to nowhere', () => {
    const dir = copyOfFlows();
    const file = path.join(dir, 'main.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('next: menu', 'next: no_such_node'));
    expect(() => loadFlows(dir)).toThrow(`${file}: node welcome: target "no_such_node" does not exist`);
  });

  it('names the file and the node of a schema mistake', () => {
    const dir = copyOfFlows();
    const file = path.join(dir, 'main.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('type: say', 'type: shout'));
    expect(() => loadFlows(dir)).toThrow(new RegExp(`${file}: node welcome: type`));
  });

  it('names the file of broken YAML', () => {
    const dir = copyOfFlows();
    const file = path.join(dir, 'main.yaml');
    writeFileSync(file, 'id: main\nnodes: [unclosed');
    expect(() => loadFlows(dir)).toThrow(new RegExp(`${file}: YAML`));
  });
});
