import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { contentPathsFrom } from '../config/content-paths.ts';
import { AGENCIES_FILE, AGENCIES_META_FILE, AGENCY_COLUMNS, parseAgencyCsv, type Agency } from '../content/agency-list.ts';

function csvCell(value: string): string {
  return /[",;\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * `pelita agencies import FILE --source TEXT`: replaces content/agencies.csv with a CSV
 * export of the official licence list (columns name, licence_number, status, province, in
 * any order, comma or semicolon separated), and records where it came from and when.
 */
export function agenciesImportCommand(
  options: { file: string; source: string },
  env: NodeJS.ProcessEnv = process.env,
  today = new Date(),
): number {
  const agencies: Agency[] = parseAgencyCsv(readFileSync(options.file, 'utf8'), options.file);
  const contentDir = contentPathsFrom(env).content;
  const lines = [AGENCY_COLUMNS.join(','), ...agencies.map((a) => [a.name, a.licenceNumber, a.status, a.province].map(csvCell).join(','))];
  writeFileSync(path.join(contentDir, AGENCIES_FILE), `${lines.join('\n')}\n`);
  const meta = { source: options.source, importedOn: today.toISOString().slice(0, 10) };
  writeFileSync(path.join(contentDir, AGENCIES_META_FILE), `# Written by pelita agencies import.\n${stringify(meta)}`);
  process.stdout.write(`imported ${agencies.length} agencies into ${path.join(contentDir, AGENCIES_FILE)}\n`);
  return 0;
}
