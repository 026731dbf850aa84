import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { editDistance, normalizeAnswer } from '../core/text/normalize.ts';
import { ContentError } from './content-error.ts';
import { readContentText, readContentYaml } from './read-content-yaml.ts';

export const AGENCIES_FILE = 'agencies.csv';
export const AGENCIES_META_FILE = 'agencies.meta.yaml';
export const AGENCY_COLUMNS = ['name', 'licence_number', 'status', 'province'] as const;

export interface Agency {
  name: string;
  licenceNumber: string;
  status: string;
  province: string;
}

export const agencyMetaSchema = z.object({ source: z.string().min(3), importedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }).strict();
export type AgencyMeta = z.infer<typeof agencyMetaSchema>;

/** Words that say what a company is, not which: "PT", "CV", "Perseroan Terbatas". */
const LEGAL_FORMS = new Set(['pt', 'cv', 'perseroan', 'terbatas', 'persero', 'tbk']);

function coreName(name: string): string {
  return normalizeAnswer(name)
    .split(' ')
    .filter((word) => word && !LEGAL_FORMS.has(word))
    .join(' ');
}

/**
 * The official list of licensed recruitment agencies (P3MI), as imported from a CSV export
 * of Siskop2MI. A match is never a verdict: the person is always told how to confirm.
 */
export class AgencyList {
  private readonly indexed: { agency: Agency; core: string }[];

  constructor(
    agencies: Agency[],
    readonly meta: AgencyMeta | undefined,
  ) {
    this.indexed = agencies.map((agency) => ({ agency, core: coreName(agency.name) }));
  }

  get size(): number {
    return this.indexed.length;
  }

  /** Agencies whose name matches, exactly or with small typos, best first (at most `limit`). */
  find(query: string, limit = 3): Agency[] {
    const wanted = coreName(query);
    if (wanted.length < 3) return [];
    const allowance = wanted.length >= 12 ? 3 : wanted.length >= 6 ? 2 : 1;
    return this.indexed
      .map(({ agency, core }) => {
        if (core === wanted) return { agency, distance: 0 };
        if (core.includes(wanted) || wanted.includes(core)) return { agency, distance: 1 };
        return { agency, distance: editDistance(core, wanted, allowance) + 1 };
      })
      .filter(({ distance }) => distance <= allowance)
      .sort((a, b) => a.distance - b.distance)
      .slice(0, limit)
      .map(({ agency }) => agency);
  }
}

/** Parses the CSV the import command writes (and accepts): a header, then one agency a line. */
export function parseAgencyCsv(text: string, file = AGENCIES_FILE): Agency[] {
  const rows = parseCsv(text);
  const [header, ...body] = rows;
  const columns = (header ?? []).map((cell) => normalizeAnswer(cell).replace(/ /g, '_'));
  const index = AGENCY_COLUMNS.map((column) => columns.indexOf(column));
  const missing = AGENCY_COLUMNS.filter((_, i) => index[i] === -1);
  if (missing.length > 0)
    throw new ContentError(file, `the header needs the columns ${AGENCY_COLUMNS.join(', ')} (missing: ${missing.join(', ')})`);
  return body
    .filter((row) => row.some((cell) => cell.trim() !== ''))
    .map((row, line) => {
      const [name, licenceNumber, status, province] = index.map((i) => (row[i] ?? '').trim());
      if (!name) throw new ContentError(file, 'an agency without a name', line + 2);
      return { name, licenceNumber: licenceNumber ?? '', status: status ?? '', province: province ?? '' };
    });
}

/** RFC 4180 CSV: quoted fields, doubled quotes, commas and line breaks inside quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',' || char === ';') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export function loadAgencyList(contentDir: string): AgencyList {
  const file = path.join(contentDir, AGENCIES_FILE);
  const metaFile = path.join(contentDir, AGENCIES_META_FILE);
  if (!existsSync(file)) return new AgencyList([], undefined);
  const meta = existsSync(metaFile) ? readContentYaml(metaFile, agencyMetaSchema) : undefined;
  return new AgencyList(parseAgencyCsv(readContentText(file), file), meta);
}
