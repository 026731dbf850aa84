import { normalizeAnswer } from '../../core/text/normalize.ts';

// Chat spellings in both languages; the first word decides ("ya, betul" -> yes).
const YES = new Set([
  'ya',
  'y',
  'iya',
  'iyaa',
  'yaa',
  'yes',
  'yep',
  'yup',
  'ok',
  'oke',
  'okay',
  'betul',
  'benar',
  'bener',
  'sudah',
  'udah',
  'pernah',
  'true',
]);
const NO = new Set([
  'tidak',
  'tdk',
  'gak',
  'ga',
  'gk',
  'nggak',
  'ngga',
  'enggak',
  'engga',
  'no',
  'n',
  'nope',
  'bukan',
  'belum',
  'blm',
  'tak',
  'false',
]);

export function parseYesNo(text: string): boolean | undefined {
  const normalized = normalizeAnswer(text);
  if (normalized === 'not' || normalized.startsWith('no ') || normalized === 'no') return false;
  const first = normalized.split(' ')[0] ?? '';
  if (YES.has(first)) return true;
  if (NO.has(first)) return false;
  return undefined;
}
