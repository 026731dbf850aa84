import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHIPPED_CONTENT } from '../src/config/content-paths.ts';
import { loadFlows } from '../src/flows/load-flows.ts';
import { copyContent } from './harness/content-copy.ts';

describe('loading flows to run them', () => {
  it('loads the shipped flows and triggers', () => {
    const flows = loadFlows(SHIPPED_CONTENT.flows);
    expect([...flows.flows.keys()]).toContain('main');
    expect(flows.triggers.map((trigger) => trigger.id)).toContain('emergency');
  });

  it('refuses to start on a goto to nowhere, naming the file, line, node and target', () => {
    const copy = copyContent();
    copy.edit('flows/warning_signs.yaml', (text) => text.replace('next: q_wages', 'next: q_wagez'));
    const file = path.join(copy.flows, 'warning_signs.yaml');
    expect(() => loadFlows(copy.flows)).toThrow(
      new RegExp(`^${file}:\\d+: node warning_signs:q_documents: target "q_wagez" does not exist$`),
    );
  });

  it('names the file, line and node of a schema mistake', () => {
    const copy = copyContent();
    copy.edit('flows/main.yaml', (text) =>
      text.replace('type: say\n    text: onboarding.welcome', 'type: shout\n    text: onboarding.welcome'),
    );
    expect(() => loadFlows(copy.flows)).toThrow(/main\.yaml:\d+: node main:welcome: type: /);
  });

  it('names the file and line of broken YAML', () => {
    const copy = copyContent();
    copy.edit('flows/migrate.yaml', (text) => `${text}\n  broken: [unclosed\n`);
    expect(() => loadFlows(copy.flows)).toThrow(/migrate\.yaml:\d+: YAML: /);
  });
});
