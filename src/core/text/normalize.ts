/**
 * One message is normalised several times in its turn (triggers, the open question, the
 * danger rules): the last few short texts are remembered for that. Few, and short, so
 * that people's words do not stay in memory past their turns, and long messages are never
 * kept (a bound in count and in bytes: 256 texts of at most 512 characters).
 */
const MEMO_LIMIT = 256;
const MEMO_MAX_CHARS = 512;
const memo = new Map<string, string>();

/** Lower case, accents and punctuation gone, spaces folded: "  Bahása-Indonesia! " -> "bahasa indonesia". */
export function normalizeAnswer(text: string): string {
  if (text.length > MEMO_MAX_CHARS) return normalizeUncached(text);
  let normalized = memo.get(text);
  if (normalized === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    normalized = normalizeUncached(text);
    memo.set(text, normalized);
  }
  return normalized;
}

function normalizeUncached(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Optimal string alignment distance (Levenshtein plus swapped neighbours), stopping early
 * once it must exceed `limit`: "englsh" and "egnlish" are one edit from "english".
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previousPrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, previousPrevious[j - 2]! + 1);
      current[j] = value;
      rowMinimum = Math.min(rowMinimum, value);
    }
    if (rowMinimum > limit) return limit + 1;
    previousPrevious = previous;
    previous = current;
  }
  return previous[b.length]!;
}
