import path from 'node:path';
import { z } from 'zod';
import { normalizeAnswer } from '../core/text/normalize.ts';
import { ContentError } from './content-error.ts';
import { readContentText, readContentYaml } from './read-content-yaml.ts';

export type PlaceKind = 'country' | 'province' | 'district';

export interface Place {
  kind: PlaceKind;
  /** ISO 3166-1 alpha-2 for countries, the Kemendagri code for provinces and districts. */
  code: string;
  name: string;
  /** The name in each language where it differs ("Arab Saudi", "Saudi Arabia"). */
  names?: Record<string, string>;
  /** For a district, its province's code. */
  provinceCode?: string;
  /** IANA time zone of a country or province; a district has its province's. */
  timeZone?: string;
}

/** Where a person is, as a contact record or a situation holds it. */
export interface PlaceCodes {
  province?: string | undefined;
  district?: string | undefined;
  country?: string | undefined;
}

const countriesSchema = z.object({
  countries: z.array(
    z
      .object({
        code: z.string().regex(/^[A-Z]{2}$/),
        names: z.record(z.string(), z.string()),
        aliases: z.array(z.string()),
        // Optional here only so that a missing one is reported below, with the country's code.
        time_zone: z.string().optional(),
      })
      .strict()
      .superRefine((country, context) => {
        const problem = timeZoneProblem(country.time_zone, 'Asia/Kuala_Lumpur');
        if (problem) context.addIssue({ code: 'custom', path: ['time_zone'], message: `${country.code}: ${problem}` });
      }),
  ),
});

/**
 * An IANA zone name ("Area/Location") that Intl accepts. Intl.supportedValuesOf('timeZone')
 * would reject valid names ICU does not list as canonical (Asia/Ho_Chi_Minh, Asia/Yangon),
 * and the Area/Location shape keeps out "UTC" and fixed offsets, which no place observes.
 */
function isTimeZone(name: string): boolean {
  if (!/^[A-Z][A-Za-z]*(\/[A-Za-z0-9_+-]+)+$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** What is wrong with a place's `time_zone`, if anything. */
function timeZoneProblem(name: string | undefined, example: string): string | undefined {
  if (!name) return `time_zone is required: an IANA time zone like ${example}`;
  return isTimeZone(name) ? undefined : `time_zone "${name}" is not an IANA time zone (like ${example})`;
}

/** The longest place name, in words, worth looking for inside a sentence. */
const MAX_WORDS = 4;

/**
 * Countries, Indonesian provinces and districts, found by what people type: "lombok
 * timur", "kab. indramayu", "Kota Semarang", "hongkong", "saya di malaysia".
 */
export class PlaceDirectory {
  private readonly byAlias = new Map<string, Place[]>();
  private readonly byCode = new Map<string, Place>();

  constructor(places: { place: Place; aliases: string[] }[]) {
    for (const { place, aliases } of places) {
      this.byCode.set(`${place.kind}:${place.code}`, place);
      for (const alias of new Set(aliases.map(normalizeAnswer).filter(Boolean))) {
        const list = this.byAlias.get(alias) ?? [];
        if (!list.includes(place)) list.push(place);
        this.byAlias.set(alias, list);
      }
    }
  }

  get(kind: PlaceKind, code: string): Place | undefined {
    return this.byCode.get(`${kind}:${code}`);
  }

  /**
   * The IANA time zone a person is in: their province's, or their district's province's
   * (WIB, WITA or WIT), else their country's; undefined when none of them is known. A
   * district or province means they are in Indonesia now, so it wins over the country.
   */
  timeZoneOf(place: PlaceCodes): string | undefined {
    const districtProvince = place.district
      ? (this.get('district', place.district)?.provinceCode ?? place.district.slice(0, 2))
      : undefined;
    for (const province of [place.province, districtProvince]) {
      const timeZone = province ? this.get('province', province)?.timeZone : undefined;
      if (timeZone) return timeZone;
    }
    return place.country ? this.get('country', place.country)?.timeZone : undefined;
  }

  /** A place's name as a person reading `language` knows it. */
  nameOf(kind: PlaceKind, code: string, language: string): string | undefined {
    const place = this.get(kind, code);
    return place ? (place.names?.[language] ?? place.name) : undefined;
  }

  /**
   * Every place of `kind` named in a sentence with the word position where its name
   * starts, longest names first, so the words around it can be read ("mau ke Taiwan",
   * "sekarang di Batam").
   */
  locateIn(kind: PlaceKind, text: string): { place: Place; start: number; end: number }[] {
    const words = normalizeAnswer(text).split(' ').filter(Boolean);
    const found: { place: Place; start: number; end: number }[] = [];
    const taken = new Set<number>();
    for (let size = Math.min(MAX_WORDS, words.length); size >= 1; size--) {
      for (let start = 0; start + size <= words.length; start++) {
        if (taken.has(start)) continue;
        for (const place of this.byAlias.get(words.slice(start, start + size).join(' ')) ?? []) {
          if (place.kind !== kind || found.some((entry) => entry.place === place)) continue;
          found.push({ place, start, end: start + size });
          for (let index = start; index < start + size; index++) taken.add(index);
        }
      }
    }
    return found.sort((a, b) => a.start - b.start);
  }

  /** The places of `kind` the whole answer names ("Lombok Timur", "kab lombok timur"). */
  match(kind: PlaceKind, text: string): Place[] {
    return (this.byAlias.get(stripAreaWords(normalizeAnswer(text))) ?? this.byAlias.get(normalizeAnswer(text)) ?? []).filter(
      (place) => place.kind === kind,
    );
  }

  /** Places of `kind` named anywhere in a sentence, longest names first ("saya di lombok timur"). */
  findIn(kind: PlaceKind, text: string): Place[] {
    const words = normalizeAnswer(text).split(' ').filter(Boolean);
    const found: Place[] = [];
    for (let size = Math.min(MAX_WORDS, words.length); size >= 1; size--) {
      for (let start = 0; start + size <= words.length; start++) {
        for (const place of this.byAlias.get(words.slice(start, start + size).join(' ')) ?? []) {
          if (place.kind === kind && !found.includes(place)) found.push(place);
        }
      }
    }
    return found;
  }
}

/** "kabupaten lombok timur", "kab lombok timur", "kota mataram" -> the name alone. */
function stripAreaWords(text: string): string {
  return text.replace(/^(kabupaten|kab|kota|provinsi|prov|propinsi)\s+/, '');
}

export function loadPlaces(placesDir: string): PlaceDirectory {
  const entries: { place: Place; aliases: string[] }[] = [];
  const countries = readContentYaml(path.join(placesDir, 'countries.yaml'), countriesSchema);
  for (const country of countries.countries) {
    const names = Object.values(country.names);
    entries.push({
      place: {
        kind: 'country',
        code: country.code,
        name: country.names.en ?? names[0] ?? country.code,
        names: country.names,
        timeZone: country.time_zone!,
      },
      aliases: [...names, ...country.aliases],
    });
  }
  const provincesFile = path.join(placesDir, 'provinces.csv');
  const zoneOfProvince = new Map<string, string>();
  for (const { cells, line } of readCsv(provincesFile, ['code', 'name', 'time_zone'])) {
    const [code, name, timeZone] = cells as [string, string, string];
    const problem = timeZoneProblem(timeZone, 'Asia/Jakarta');
    if (problem) throw new ContentError(provincesFile, `${code} ${name}: ${problem}`, line);
    zoneOfProvince.set(code, timeZone);
    entries.push({ place: { kind: 'province', code, name, timeZone }, aliases: provinceAliases(name) });
  }
  for (const { cells } of readCsv(path.join(placesDir, 'districts.csv'), ['code', 'province_code', 'name'])) {
    const [code, provinceCode, name] = cells;
    const timeZone = zoneOfProvince.get(provinceCode!);
    entries.push({
      place: { kind: 'district', code: code!, provinceCode: provinceCode!, name: name!, ...(timeZone ? { timeZone } : {}) },
      aliases: districtAliases(name!),
    });
  }
  return new PlaceDirectory(entries);
}

/** The rows of a CSV file whose first line must be `header`; no cell holds a comma. */
function readCsv(file: string, header: readonly string[]): { cells: string[]; line: number }[] {
  const [first, ...rows] = readContentText(file)
    .split(/\r?\n/)
    .map((text, index) => ({ text, line: index + 1 }))
    .filter(({ text }) => text);
  if (first?.text !== header.join(',')) {
    throw new ContentError(file, `expected the columns ${header.join(',')}, found "${first?.text ?? ''}"`, first?.line);
  }
  return rows.map(({ text, line }) => {
    const cells = text.split(',');
    if (cells.length !== header.length) {
      throw new ContentError(file, `${cells[0]}: expected ${header.length} columns (${header.join(',')}), found ${cells.length}`, line);
    }
    return { cells, line };
  });
}

function districtAliases(name: string): string[] {
  const bare = name.replace(/^(Kabupaten|Kota)\s+/, '');
  const isCity = name.startsWith('Kota ');
  return [name, bare, isCity ? `kota ${bare}` : `kab ${bare}`];
}

/** Common chat names for provinces: "jatim", "jateng", "ntb", "dki"... */
const PROVINCE_NICKNAMES: Record<string, string[]> = {
  'Jawa Timur': ['jatim', 'east java'],
  'Jawa Tengah': ['jateng', 'central java'],
  'Jawa Barat': ['jabar', 'west java'],
  'Nusa Tenggara Barat': ['ntb', 'west nusa tenggara'],
  'Nusa Tenggara Timur': ['ntt', 'east nusa tenggara'],
  'Sulawesi Selatan': ['sulsel', 'south sulawesi'],
  'Sumatera Utara': ['sumut', 'north sumatra'],
  'Daerah Istimewa Yogyakarta': ['diy', 'jogja', 'yogyakarta', 'yogya'],
  'DKI Jakarta': ['dki', 'jakarta'],
};

function provinceAliases(name: string): string[] {
  return [name, ...(PROVINCE_NICKNAMES[name] ?? [])];
}
