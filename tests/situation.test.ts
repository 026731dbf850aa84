import { describe, expect, it } from 'vitest';
import { loadEngineContext } from '../src/app/load-engine-context.ts';
import type { Contact } from '../src/content/contact-schema.ts';
import { dialledAs, sourceIsOld } from '../src/engine/dial-contact.ts';
import {
  describeSituation,
  readSituationVariable,
  setSituationVariable,
  situationNames,
  unsetSituationVariable,
  whereabouts,
  type Situation,
} from '../src/engine/situation.ts';
import { situationCues } from '../src/nlu/situation-cues.ts';

const { places } = loadEngineContext();

describe('what a message says of the situation', () => {
  it.each([
    ['saya kerja di malaysia jadi PRT', { here: { kind: 'country', code: 'MY' }, stage: 'abroad', sector: 'domestic' }],
    ['sekarang saya sudah di Batam', { here: { kind: 'district', code: '21.71' }, placeOnly: true }],
    ['im in HK now, helper', { here: { kind: 'country', code: 'HK' }, stage: 'abroad', sector: 'domestic', ownPlace: true }],
    ['mau kerja ke taiwan tahun depan', { destination: 'TW', stage: 'planning' }],
    ['i want to work in japan as caregiver', { destination: 'JP', stage: 'planning', sector: 'care' }],
    ['saya dari Cilacap', { origin: { kind: 'district', code: '33.01' }, ownPlace: true, placeOnly: true }],
    ['pernah kerja di saudi, sudah pulang', { stage: 'returned' }],
    ['kapal saya tidak pulang ke darat sudah 1 tahun', { atSea: true, stage: 'abroad' }],
    // The employer's country: where the person is when they are in danger (an emergency reads it so).
    ['teman saya dikurung majikan di arab saudi', { mentioned: 'SA', aboutOther: true }],
    ['my sister is locked in by her employer', { aboutOther: true }],
    ['i was arrested by malaysian police', { mentioned: 'MY' }],
    // The place said with "now" is where they are, over one said earlier in the message.
    ['last year i work in singapore, now in dubai my sponsor lock me', { here: { kind: 'country', code: 'AE' }, stage: 'abroad' }],
    ['sy kerja di malaysia 2 thn, tp skrg sy di brunei', { here: { kind: 'country', code: 'BN' }, stage: 'abroad', ownPlace: true }],
    // Home again is where they are; going home is a wish; the employer's country is only mentioned.
    ['saya sudah pulang ke indramayu', { here: { kind: 'district', code: '32.12' }, stage: 'returned' }],
    ['udh balik ke cilacap kak', { here: { kind: 'district', code: '33.01' }, stage: 'returned' }],
    ['mau pulang ke indramayu tolong', {}],
    ['sy blm bisa pulang ke lombok timur', {}],
    ['gaji sy 4 bulan gk dibayar majikan di malaysia', { mentioned: 'MY' }],
    ['sy kerja di pabrik di malaysia', { here: { kind: 'country', code: 'MY' }, stage: 'abroad', sector: 'factory' }],
    // A place said in the first person is the writer's own; after a relative ("kakak sy di") it is not.
    ["I'm in Dubai, my agent keeps my passport", { here: { kind: 'country', code: 'AE' }, stage: 'abroad', ownPlace: true }],
    ['kakak sy di dubai udh seminggu gk ada kabar', { here: { kind: 'country', code: 'AE' }, stage: 'abroad', aboutOther: true }],
    // Malay "kat" for "di", as workers in Malaysia come to write it.
    ['sy kat penang skrg', { here: { kind: 'country', code: 'MY' }, stage: 'abroad', placeOnly: true }],
  ] as const)('%s', (text, expected) => {
    expect(situationCues(text, places)).toEqual(expected);
  });

  it('reads nothing into words that only look like places', () => {
    expect(situationCues('the captain beats us every day', places).here).toBeUndefined();
    expect(situationCues('the captain beats us every day', places).mentioned).toBeUndefined();
  });
});

describe('the situation record', () => {
  it('replaces a place whole: a country abroad clears the district, a district means Indonesia', () => {
    const situation: Situation = {};
    setSituationVariable(situation, 'home', '52.03');
    expect(situation).toEqual({ district: '52.03', country: 'ID' });
    expect(readSituationVariable(situation, 'home_province')).toBe('52');
    setSituationVariable(situation, 'country', 'MY');
    expect(situation).toEqual({ country: 'MY' });
    expect(whereabouts(situation)).toBe('abroad');
    setSituationVariable(situation, 'at_sea', true);
    expect(whereabouts(situation)).toBe('at_sea');
    setSituationVariable(situation, 'home', '21.71');
    expect(situation).toEqual({ district: '21.71', country: 'ID' });
    unsetSituationVariable(situation, 'country');
    expect(situation).toEqual({});
  });

  it('refuses values that are not codes, and derived names cannot be set', () => {
    const situation: Situation = {};
    setSituationVariable(situation, 'country', 'Malaysia');
    setSituationVariable(situation, 'country_name', 'Malaysia');
    setSituationVariable(situation, 'stage', 'astronaut');
    expect(situation).toEqual({});
  });

  it('names places in the reader language and describes itself to case workers in codes', () => {
    const situation: Situation = { country: 'SA', sector: 'domestic', stage: 'abroad' };
    expect(situationNames(situation, places, 'id').country_name).toBe('Arab Saudi');
    expect(situationNames(situation, places, 'en').country_name).toBe('Saudi Arabia');
    expect(describeSituation(situation)).toEqual({ where: 'abroad', country: 'SA', stage: 'abroad', sector: 'domestic' });
  });
});

describe('contacts as the person must dial them', () => {
  const contact = (value: string, kind: Contact['kind'] = 'phone', country?: string): Contact => ({
    id: 'x',
    name: { en: 'x' },
    type: 'hotline',
    kind,
    value,
    ...(country ? { area: { country } } : {}),
    source: 'test',
    verifiedOn: '2026-11',
  });

  it('gives Indonesian numbers +62 from abroad, at sea and while the place is unknown, and their local form at home', () => {
    expect(dialledAs(contact('0811-8080-141', 'whatsapp'), 'abroad')).toBe('+62 811-8080-141');
    expect(dialledAs(contact('0811-8080-141', 'whatsapp'), 'at_sea')).toBe('+62 811-8080-141');
    expect(dialledAs(contact('0811-8080-141', 'whatsapp'), 'indonesia')).toBe('0811-8080-141');
    expect(dialledAs(contact('0811-8080-141', 'whatsapp'), undefined)).toBe('+62 811-8080-141');
  });

  it('keeps short codes and toll-free numbers while the place is unknown: their note says where they work', () => {
    expect(dialledAs(contact('110'), undefined)).toBe('110');
    expect(dialledAs(contact('0800-1000'), undefined)).toBe('0800-1000');
  });

  it('leaves out short codes and toll-free numbers that cannot be dialled from abroad', () => {
    expect(dialledAs(contact('110'), 'abroad')).toBeUndefined();
    expect(dialledAs(contact('0800-1000'), 'abroad')).toBeUndefined();
    expect(dialledAs(contact('110'), 'indonesia')).toBe('110');
  });

  it("shows another country's numbers and international numbers as they are", () => {
    expect(dialledAs(contact('999', 'phone', 'MY'), 'abroad')).toBe('999');
    expect(dialledAs(contact('+62 21 29244800'), 'abroad')).toBe('+62 21 29244800');
    expect(dialledAs(contact('siskop2mi.bp2mi.go.id', 'website'), 'abroad')).toBe('siskop2mi.bp2mi.go.id');
  });

  it('calls a source old past the configured months', () => {
    expect(sourceIsOld('2020-02', '2026-12-01T00:00:00Z', 36)).toBe(true);
    expect(sourceIsOld('2025-12', '2026-12-01T00:00:00Z', 36)).toBe(false);
    expect(sourceIsOld('2023', '2026-12-01T00:00:00Z', 36)).toBe(false);
    expect(sourceIsOld('2022', '2026-12-01T00:00:00Z', 36)).toBe(true);
  });
});

describe('a message that only says where the person is', () => {
  it('is marked as such, and the past is not where they are now', () => {
    expect(situationCues('sy skrg di cilacap kak', places).placeOnly).toBe(true);
    expect(situationCues('saya dari malang', places).placeOnly).toBe(true);
    expect(situationCues('sy di indramayu, majikan sy galak', places).placeOnly).toBeUndefined();
    expect(situationCues('gaji sy dipotong terus waktu di taiwan', places).here).toBeUndefined();
  });
});
