import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContentError } from '../src/content/content-error.ts';
import { loadPlaces } from '../src/content/place-directory.ts';

const PLACES = path.join(import.meta.dirname, '..', 'content', 'places');
const places = loadPlaces(PLACES);

/** The codes in the first column of a shipped CSV file, header left out. */
function codesIn(file: string): string[] {
  const [, ...rows] = readFileSync(path.join(PLACES, file), 'utf8').split(/\r?\n/).filter(Boolean);
  return rows.map((row) => row.split(',')[0]!);
}

const countryCodes = [...readFileSync(path.join(PLACES, 'countries.yaml'), 'utf8').matchAll(/^ {2}- \{ code: ([A-Z]{2}),/gm)].map(
  (match) => match[1]!,
);

function isUsableZone(timeZone: string | undefined): boolean {
  if (!timeZone) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

describe('every shipped place has a time zone', () => {
  it('every country', () => {
    expect(countryCodes.length).toBeGreaterThan(20);
    for (const code of countryCodes) expect(isUsableZone(places.get('country', code)?.timeZone), code).toBe(true);
  });

  it('every province, in WIB, WITA or WIT', () => {
    const provinces = codesIn('provinces.csv');
    expect(provinces.length).toBe(38);
    for (const code of provinces) {
      expect(['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'], code).toContain(places.get('province', code)?.timeZone);
    }
  });

  it('every district, through its province', () => {
    for (const code of codesIn('districts.csv'))
      expect(places.timeZoneOf({ district: code }), code).toMatch(/^Asia\/(Jakarta|Makassar|Jayapura)$/);
  });

  it.each([
    ['31', 'Asia/Jakarta'], // DKI Jakarta
    ['21', 'Asia/Jakarta'], // Kepulauan Riau, from Riau
    ['61', 'Asia/Jakarta'], // Kalimantan Barat
    ['62', 'Asia/Jakarta'], // Kalimantan Tengah
    ['51', 'Asia/Makassar'], // Bali
    ['52', 'Asia/Makassar'], // Nusa Tenggara Barat
    ['63', 'Asia/Makassar'], // Kalimantan Selatan
    ['65', 'Asia/Makassar'], // Kalimantan Utara, from Kalimantan Timur
    ['75', 'Asia/Makassar'], // Gorontalo, from Sulawesi Utara
    ['82', 'Asia/Jayapura'], // Maluku Utara, from Maluku
    ['96', 'Asia/Jayapura'], // Papua Barat Daya
  ])('province %s is in %s', (code, timeZone) => {
    expect(places.get('province', code)?.timeZone).toBe(timeZone);
  });

  it.each([
    ['MY', 'Asia/Kuala_Lumpur'],
    ['TW', 'Asia/Taipei'],
    ['HK', 'Asia/Hong_Kong'],
    ['SG', 'Asia/Singapore'],
    ['SA', 'Asia/Riyadh'],
    ['KR', 'Asia/Seoul'],
    ['JP', 'Asia/Tokyo'],
    ['ID', 'Asia/Jakarta'],
  ])('country %s is in %s', (code, timeZone) => {
    expect(places.get('country', code)?.timeZone).toBe(timeZone);
  });
});

describe('timeZoneOf', () => {
  it('prefers the province to the country', () => {
    expect(places.timeZoneOf({ province: '91', country: 'ID' })).toBe('Asia/Jayapura');
    expect(places.timeZoneOf({ province: '52', country: 'MY' })).toBe('Asia/Makassar');
  });

  it('reads a district as its province (52.03 is in 52, WITA)', () => {
    expect(places.timeZoneOf({ district: '52.03' })).toBe('Asia/Makassar');
    expect(places.timeZoneOf({ district: '52.03', country: 'TW' })).toBe('Asia/Makassar');
  });

  it('a province given wins over the district', () => {
    expect(places.timeZoneOf({ province: '94', district: '31.71' })).toBe('Asia/Jayapura');
  });

  it('falls back to the country, then to nothing', () => {
    expect(places.timeZoneOf({ country: 'SA' })).toBe('Asia/Riyadh');
    expect(places.timeZoneOf({ province: '99', country: 'HK' })).toBe('Asia/Hong_Kong');
    expect(places.timeZoneOf({ country: 'XX' })).toBeUndefined();
    expect(places.timeZoneOf({})).toBeUndefined();
  });
});

describe('a place file without a usable time zone does not load', () => {
  let directory: string | undefined;
  afterEach(() => {
    if (directory) rmSync(directory, { recursive: true, force: true });
    directory = undefined;
  });

  /** The shipped place files in a scratch folder, with one of them edited. */
  function placesWith(file: string, edit: (text: string) => string): string {
    directory = mkdtempSync(path.join(tmpdir(), 'pelita-places-'));
    for (const name of ['countries.yaml', 'provinces.csv', 'districts.csv'])
      copyFileSync(path.join(PLACES, name), path.join(directory, name));
    writeFileSync(path.join(directory, file), edit(readFileSync(path.join(directory, file), 'utf8')));
    return directory;
  }

  function loadError(dir: string): ContentError {
    try {
      loadPlaces(dir);
    } catch (error) {
      if (error instanceof ContentError) return error;
      throw error;
    }
    throw new Error('loaded');
  }

  it('a country with no time_zone', () => {
    const error = loadError(placesWith('countries.yaml', (text) => text.replace(', time_zone: Asia/Taipei', '')));
    expect(error.file).toMatch(/countries\.yaml$/);
    expect(error.line).toBe(9);
    expect(error.message).toMatch(/TW: time_zone is required/);
  });

  it('a country with a zone that does not exist names the country', () => {
    const error = loadError(placesWith('countries.yaml', (text) => text.replace('Asia/Taipei', 'Asia/Taipeh')));
    expect(error.message).toMatch(/countries\.yaml:9: .*TW: time_zone "Asia\/Taipeh" is not an IANA time zone/);
  });

  it('a country with a fixed offset instead of a zone', () => {
    expect(loadError(placesWith('countries.yaml', (text) => text.replace('Asia/Taipei', 'UTC'))).message).toMatch(/TW: time_zone "UTC"/);
  });

  it('a provinces file without the time_zone column', () => {
    const error = loadError(placesWith('provinces.csv', (text) => text.replace(/,[^,\n]*$/gm, '')));
    expect(error.message).toMatch(/provinces\.csv:1: expected the columns code,name,time_zone/);
  });

  it('a province with no time zone, or one that does not exist, names the province and its line', () => {
    const ntbAs = (row: string) =>
      loadError(placesWith('provinces.csv', (text) => text.replace('52,Nusa Tenggara Barat,Asia/Makassar', row))).message;
    expect(ntbAs('52,Nusa Tenggara Barat')).toMatch(/provinces\.csv:19: 52: expected 3 columns/);
    expect(ntbAs('52,Nusa Tenggara Barat,')).toMatch(/provinces\.csv:19: 52 Nusa Tenggara Barat: time_zone is required/);
    expect(ntbAs('52,Nusa Tenggara Barat,WITA')).toMatch(
      /provinces\.csv:19: 52 Nusa Tenggara Barat: time_zone "WITA" is not an IANA time zone/,
    );
  });
});
