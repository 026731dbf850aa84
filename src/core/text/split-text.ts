/**
 * Splits text longer than a platform allows at sentence (or else line, or else word)
 * boundaries. `measure` is how the platform counts (after escaping, for HTML).
 */
export function splitAtSentences(text: string, limit: number, measure: (part: string) => number = (part) => part.length): string[] {
  const parts: string[] = [];
  let rest = text;
  while (measure(rest) > limit) {
    let cut = -1;
    for (const boundary of [/[.!?]\s+/g, /\n/g, /\s+/g]) {
      for (const match of rest.matchAll(boundary)) {
        const end = (match.index ?? 0) + match[0].length;
        if (measure(rest.slice(0, end)) > limit) break;
        cut = end;
      }
      if (cut > 0) break;
    }
    if (cut <= 0) {
      // One enormous word: cut it where it fits.
      cut = limit;
      while (measure(rest.slice(0, cut)) > limit) cut -= 1;
    }
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.trim().length > 0 || parts.length === 0) parts.push(rest.trimEnd());
  return parts;
}
