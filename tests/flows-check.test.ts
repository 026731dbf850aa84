import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHIPPED_CONTENT, PACKAGE_ROOT } from '../src/config/content-paths.ts';
import type { FlowProblem } from '../src/content/flow-problem.ts';
import { lintContent } from '../src/authoring/lint-content.ts';
import { copyContent } from './harness/content-copy.ts';

const PELITA = path.join(PACKAGE_ROOT, 'bin', 'pelita.mjs');

function check(copy: ReturnType<typeof copyContent> | undefined, json = false) {
  const env = copy ? { PELITA_FLOWS_DIR: copy.flows, PELITA_LOCALES_DIR: copy.locales, PELITA_CONTENT_DIR: copy.content } : {};
  const run = spawnSync(process.execPath, [PELITA, 'flows', 'check', ...(json ? ['--json'] : [])], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function errorsOf(copy: ReturnType<typeof copyContent>): FlowProblem[] {
  return lintContent(copy).filter((problem) => problem.severity === 'error');
}

describe('pelita flows check', () => {
  it('exits 0 on the shipped flows, locales and content', () => {
    const run = check(undefined);
    expect(run.stdout).toMatch(/^0 error\(s\)/m);
    expect(run.code).toBe(0);
    expect(lintContent(SHIPPED_CONTENT)).toEqual([]);
  });

  it('exits 1 for a goto to a missing node and names the file, the node and the target', () => {
    const copy = copyContent();
    copy.edit('flows/warning_signs.yaml', (text) => text.replace('next: q_wages', 'next: q_wagez'));
    const run = check(copy);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /warning_signs\.yaml:\d+: error \[missing-target\] node warning_signs:q_documents: target "q_wagez" does not exist/,
    );
  });

  it('exits 1 for an English key a flow uses that is gone, and names the key and the language', () => {
    const copy = copyContent();
    copy.edit('locales/en/menu.json', (text) => text.replace(/\s*"returnees": "[^"]*",/, ''));
    const run = check(copy);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /main\.yaml:\d+: error \[missing-locale-key\] node main:menu: locale key "menu\.returnees" is missing in language "en"/,
    );
  });

  it('answers in JSON for machines', () => {
    const copy = copyContent();
    copy.edit('flows/migrate.yaml', (text) => text.replace('goto: "main:menu"', 'goto: "main:nowhere"'));
    const line =
      readFileSync(path.join(copy.flows, 'migrate.yaml'), 'utf8')
        .split('\n')
        .findIndex((text) => text.includes('main:nowhere')) + 1;
    const run = check(copy, true);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { ok: boolean; errors: number; problems: FlowProblem[] };
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual(
      expect.objectContaining({ rule: 'missing-target', node: 'migrate:start', message: 'target "main:nowhere" does not exist', line }),
    );
  });

  it('reports unreachable nodes and questions with no way out', () => {
    const copy = copyContent();
    copy.edit(
      'flows/migrate.yaml',
      (text) =>
        `${text}\n  trap:\n    type: say\n    text: migrate.steps\n    choices:\n      - { id: again, label: common.back_to_menu, goto: trap }\n`,
    );
    const problems = errorsOf(copy);
    expect(problems).toContainEqual(expect.objectContaining({ rule: 'unreachable-node', node: 'migrate:trap' }));
    expect(problems).toContainEqual(expect.objectContaining({ rule: 'no-way-out', node: 'migrate:trap' }));
  });

  it('reports an action that is not in the registry, and inputs or outputs it does not have', () => {
    const copy = copyContent();
    copy.edit('flows/warning_signs.yaml', (text) => text.replace('outputs: { count: ws_score }', 'outputs: { total: ws_score }'));
    let problems = errorsOf(copy);
    expect(problems).toContainEqual(expect.objectContaining({ rule: 'action-output', node: 'warning_signs:score' }));
    copy.edit('flows/warning_signs.yaml', (text) => text.replace('action: count_true', 'action: count_yes'));
    problems = errorsOf(copy);
    expect(problems).toContainEqual(
      expect.objectContaining({ rule: 'unknown-action', message: expect.stringContaining('"count_yes" is not in the registry') }),
    );
  });

  it('reports a contact without its source and a phone number written into a locale', () => {
    const copy = copyContent();
    copy.edit('content/contacts.yaml', (text) => text.replace(/\n {4}source: "seputarnegara[^\n]*/, ''));
    copy.edit('locales/id/common.json', (text) => text.replace('"Terima kasih.', '"Terima kasih. Telepon 0811-8080-141.'));
    // A short code is caught because it is a known hotline's number (SAPA 129).
    copy.edit('locales/en/common.json', (text) => text.replace('"Thank you.', '"Thank you. Or call 129.'));
    const problems = errorsOf(copy);
    expect(problems).toContainEqual(
      expect.objectContaining({ rule: 'contact-provenance', message: expect.stringMatching(/^contact police_110: source: missing/) }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({ rule: 'phone-number-in-text', file: path.join(copy.locales, 'id', 'common.json') }),
    );
    expect(problems).toContainEqual(expect.objectContaining({ rule: 'phone-number-in-text', message: expect.stringContaining('"129"') }));
  });

  it('reports schema errors with their line', () => {
    const copy = copyContent();
    let line = 0;
    copy.edit('flows/settings.yaml', (text) => {
      const edited = text.replace('type: end', 'type: finish');
      line = edited.split('\n').findIndex((entry) => entry.includes('type: finish')) + 1;
      return edited;
    });
    const problems = errorsOf(copy);
    expect(line).toBeGreaterThan(1);
    expect(problems).toContainEqual(expect.objectContaining({ rule: 'schema', node: 'settings:end', line }));
  });

  it('warns where WhatsApp must fall back to a numbered menu, and about long menus', () => {
    const copy = copyContent();
    copy.edit('locales/en/menu.json', (text) => text.replace('"Find services"', '"Find services near where you live"'));
    const warnings = lintContent(copy).filter((problem) => problem.severity === 'warning');
    expect(warnings).toContainEqual(
      expect.objectContaining({ rule: 'menu-limit', node: 'main:menu', message: expect.stringContaining('numbered text menu') }),
    );
    expect(check(copy).code).toBe(0);
  });
});
