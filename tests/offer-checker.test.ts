import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SHIPPED_CONTENT, PACKAGE_ROOT } from '../src/config/content-paths.ts';
import { loadOfferChecker, type Risk } from '../src/content/offer-checker.ts';

const checker = loadOfferChecker(SHIPPED_CONTENT.content);
const PELITA = path.join(PACKAGE_ROOT, 'bin', 'pelita.mjs');

interface Offer {
  id: string;
  language: string;
  why: string;
  text: string;
}

function corpus(level: Risk): Offer[] {
  const file = path.join(import.meta.dirname, 'fixtures', 'offers', `${level}.yaml`);
  return (parse(readFileSync(file, 'utf8')) as { offers: Offer[] }).offers;
}

function checkOfferCli(offer: string, args: string[] = ['--json']) {
  return spawnSync(process.execPath, [PELITA, 'check-offer', ...args], { input: offer, encoding: 'utf8', env: { PATH: process.env.PATH } });
}

// Realistic offers in Indonesian, English and both, written for these tests
// (tests/fixtures/offers/); the patterns in content/red-flags.yaml were tuned on them.
describe.each(['high', 'medium', 'low'] as const)('job offers labelled %s', (level) => {
  const offers = corpus(level);

  it('has at least 40 offers', () => expect(offers.length).toBeGreaterThanOrEqual(40));

  it.each(offers.map((offer) => [offer.id, offer] as const))(`%s is rated ${level}`, (_id, offer) => {
    const result = checker.check(offer.text);
    expect(result.risk, `${offer.why}\nflags: ${JSON.stringify(result.flags)}`).toBe(level);
    if (level !== 'low') expect(result.flags.length).toBeGreaterThan(0);
  });
});

describe('offer checker', () => {
  it('shows the words that raised each flag', () => {
    const result = checker.check('Lowongan ADMIN ONLINE di Kamboja. Berangkat pakai visa turis dulu, nanti diurus di sana.');
    expect(result.risk).toBe('high');
    expect(result.flags).toContainEqual(expect.objectContaining({ id: 'tourist_visa', evidence: 'visa turis' }));
    expect(result.flags).toContainEqual(expect.objectContaining({ id: 'scam_compound_work', evidence: 'ADMIN ONLINE … Kamboja' }));
  });

  it("hears a passport kept, told in the person's own words (my passport), and not one they keep themselves", () => {
    for (const text of ['the agent will keep my passport, leaving next week', 'the agency will hold my passport until the loan is paid']) {
      expect(checker.check(text).flags, text).toContainEqual(expect.objectContaining({ id: 'original_documents' }));
    }
    expect(checker.check('i will keep my passport myself, the agent said').flags).toEqual([]);
  });

  it('does not count a warning sign the offer denies', () => {
    expect(checker.check('Tidak ada biaya pendaftaran. Bukan pekerja rumah tangga. Hotel di Doha, PT berizin.').flags).toEqual([]);
  });
});

describe('pelita check-offer', () => {
  it('rates a tourist-visa "admin online in Cambodia" offer high, as JSON', () => {
    const run = checkOfferCli(
      'Dicari admin online utk perusahaan di Phnom Penh, Kamboja. Gaji USD 1.200, tanpa pengalaman. Berangkat pakai visa turis, nanti izin kerjanya diurus di sana. Biaya proses 5 jt transfer ke rekening pribadi admin.',
    );
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as { risk: string; flags: { id: string; evidence: string }[] };
    expect(result.risk).toBe('high');
    expect(Object.keys(result)).toEqual(['risk', 'flags']);
    expect(result.flags.map((flag) => flag.id)).toEqual(
      expect.arrayContaining(['tourist_visa', 'scam_compound_work', 'fee_to_personal_account']),
    );
    for (const flag of result.flags) expect(Object.keys(flag)).toEqual(['id', 'evidence']);
  });

  it('rates a licensed-agency offer with a work visa and a contract low', () => {
    const run = checkOfferCli(
      'PT Sinar Harapan Mandiri (P3MI berizin, terdaftar di SISKOP2MI) membuka lowongan caregiver ke Taiwan. Pendaftaran lewat Disnaker. Visa kerja, perjanjian kerja ditandatangani di Indonesia sebelum berangkat, BPJS Ketenagakerjaan, OPP.',
    );
    expect(JSON.parse(run.stdout)).toEqual({ risk: 'low', flags: [] });
  });

  it('explains the flags in plain words without --json', () => {
    const run = checkOfferCli('Housemaid job in Riyadh, tourist visa, we convert it to a work visa later.', ['--lang', 'en']);
    expect(run.stdout).toMatch(/^HIGH risk/);
    expect(run.stdout).toContain('banned since 2015');
  });

  it('refuses empty input with a usage message', () => {
    const run = checkOfferCli('  \n');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/reads the offer on standard input/);
  });
});
