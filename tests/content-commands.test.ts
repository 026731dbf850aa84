import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEngineContext } from '../src/app/load-engine-context.ts';
import { PACKAGE_ROOT } from '../src/config/content-paths.ts';
import { loadAgencyList, parseCsv } from '../src/content/agency-list.ts';
import { newSession, type Session } from '../src/engine/session.ts';
import { step } from '../src/engine/step.ts';
import { copyContent } from './harness/content-copy.ts';

const PELITA = path.join(PACKAGE_ROOT, 'bin', 'pelita.mjs');

function pelita(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [PELITA, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
}

describe('pelita agencies import', () => {
  it('loads a CSV export, and the agency check then finds names with typos but never calls them safe', () => {
    const copy = copyContent();
    const csv = path.join(copy.root, 'export.csv');
    writeFileSync(
      csv,
      'No;Name;Licence Number;Province;Status\n1;"PT Sinar Harapan Mandiri";"KEP.123/2024";Jawa Timur;Aktif\n2;"PT Bumi ""Lestari"" Jaya";KEP.9/2023;NTB;Dicabut\n',
    );
    const env = { PELITA_FLOWS_DIR: copy.flows, PELITA_LOCALES_DIR: copy.locales, PELITA_CONTENT_DIR: copy.content };
    const run = pelita(['agencies', 'import', csv, '--source', 'Siskop2MI export (test)'], env);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/imported 2 agencies/);
    const list = loadAgencyList(copy.content);
    expect(list.meta?.source).toBe('Siskop2MI export (test)');
    expect(list.find('sinar harapan mandri').map((agency) => agency.name)).toEqual(['PT Sinar Harapan Mandiri']);
    expect(list.find('PT Bumi Lestari').map((agency) => agency.status)).toEqual(['Dicabut']);
    expect(list.find('Cahaya Abadi')).toEqual([]);

    const ctx = loadEngineContext(copy);
    let session: Session = { ...newSession('console:agency', 'x'), language: 'en', vars: { welcomed: true } };
    const texts: string[] = [];
    for (const [n, text] of ['check company', 'PT Sinar Harapn Mandiri'].entries()) {
      const result = step(
        session,
        { channel: 'console', conversationId: 'console:agency', messageId: `m${n}`, text, receivedAt: 'now' },
        ctx,
      );
      texts.push(result.replies.map((reply) => reply.text).join('\n'));
      session = result.session;
    }
    expect(texts[1]).toContain('PT Sinar Harapan Mandiri (KEP.123/2024, Aktif, Jawa Timur)');
    expect(texts[1]).toContain('Being listed here or not proves nothing');
    // The question and the answer are forgotten once answered.
    expect(Object.keys(session.vars)).not.toContain('agency_query');
  });

  it('refuses a CSV without the needed columns, naming them', () => {
    const copy = copyContent();
    const csv = path.join(copy.root, 'bad.csv');
    writeFileSync(csv, 'company,city\nPT A,Malang\n');
    const run = pelita(['agencies', 'import', csv, '--source', 'x'], { PELITA_CONTENT_DIR: copy.content });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/missing: name, licence_number, status, province/);
  });

  it('parses quoted CSV fields with commas, quotes and line breaks', () => {
    expect(parseCsv('a,"b, c","d ""e""","f\ng"\r\n1,2,3,4')).toEqual([
      ['a', 'b, c', 'd "e"', 'f\ng'],
      ['1', '2', '3', '4'],
    ]);
  });
});

describe('pelita content stale', () => {
  it('lists entries last checked longer ago than --days, oldest first', () => {
    const copy = copyContent();
    // The first entry of the file is the KP2MI call centre: its check is made two years old.
    copy.edit('content/contacts.yaml', (text) => text.replace('verifiedOn: "2026-11"', 'verifiedOn: "2025-01-15"'));
    const run = pelita(['content', 'stale', '--days', '180', '--json'], { PELITA_CONTENT_DIR: copy.content });
    const report = JSON.parse(run.stdout) as { stale: { id: string; ageDays: number; reasons: string[] }[] };
    expect(report.stale[0]?.id).toBe('kp2mi_call_centre');
    expect(report.stale[0]?.reasons).toEqual(['checked']);
    expect(report.stale.filter((entry) => entry.reasons.includes('checked')).every((entry) => entry.ageDays > 180)).toBe(true);
    const recent = JSON.parse(pelita(['content', 'stale', '--days', '100000', '--json']).stdout) as { stale: { reasons: string[] }[] };
    expect(recent.stale.every((entry) => entry.reasons.join() === 'old_source')).toBe(true);
  });

  it('lists answer cards last checked longer ago than --days', () => {
    const copy = copyContent();
    copy.edit('content/answers/home-family.yaml', (text) => text.replace('verifiedOn: "2026-11"', 'verifiedOn: "2024-06"'));
    const report = JSON.parse(pelita(['content', 'stale', '--days', '365', '--json'], { PELITA_CONTENT_DIR: copy.content }).stdout) as {
      cards: { id: string; ageDays: number }[];
    };
    expect(report.cards).toHaveLength(1);
    expect(report.cards[0]?.id).toMatch(/^hf-/);
    expect(report.cards[0]?.ageDays).toBeGreaterThan(365);
  });

  it('lists numbers whose newest source is older than CONTACT_SOURCE_MAX_AGE_MONTHS, and the bot labels them', () => {
    const run = (months: string) =>
      (
        JSON.parse(pelita(['content', 'stale', '--days', '100000', '--json'], { CONTACT_SOURCE_MAX_AGE_MONTHS: months }).stdout) as {
          stale: { id: string; sourceDate: string }[];
        }
      ).stale;
    // The Foreign Ministry's protection line is sourced from 2020 only: old at three years, not at ten.
    expect(run('36').map((entry) => entry.id)).toContain('kemlu_pwni');
    expect(run('120').map((entry) => entry.id)).not.toContain('kemlu_pwni');
  });

  it('has a source and a date for every number it ships', () => {
    const contacts = readFileSync(path.join(PACKAGE_ROOT, 'content', 'contacts.yaml'), 'utf8');
    expect(contacts).toMatch(/verifiedOn/);
    const ctx = loadEngineContext();
    for (const entry of ctx.contacts.all()) {
      expect(entry.source.length, entry.id).toBeGreaterThan(3);
      expect(entry.verifiedOn, entry.id).toMatch(/^\d{4}-\d{2}/);
    }
  });
});
