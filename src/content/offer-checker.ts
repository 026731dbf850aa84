import path from 'node:path';
import { redFlagsFileSchema, type RedFlag, type RedFlagsFile } from './red-flag-schema.ts';
import { readContentYaml } from './read-content-yaml.ts';

export type Risk = 'low' | 'medium' | 'high';

export interface FoundFlag {
  id: string;
  /** The words in the offer that raised the flag. */
  evidence: string;
  weight: number;
  explanation: string;
}

export interface OfferCheck {
  risk: Risk;
  score: number;
  flags: FoundFlag[];
}

interface CompiledFlag extends RedFlag {
  compiled: RegExp[];
  compiledWith: RegExp[] | undefined;
}

export const RED_FLAGS_FILE = 'red-flags.yaml';

/**
 * Rule-based red-flag analysis of a job offer, from patterns kept as data
 * (content/red-flags.yaml). It never calls an offer safe: "low" means no known warning
 * sign was found, and the person is still told how to confirm.
 */
export class OfferChecker {
  private readonly flags: CompiledFlag[];

  constructor(private readonly rules: RedFlagsFile) {
    this.flags = rules.flags.map((flag) => ({
      ...flag,
      compiled: flag.patterns.map((source) => new RegExp(source, 'iu')),
      compiledWith: flag.with?.map((source) => new RegExp(source, 'iu')),
    }));
  }

  /** Whether the flag marks a job that is illegal as offered (see the schema's `illegal`). */
  isIllegal(flagId: string): boolean {
    return this.flags.some((flag) => flag.id === flagId && flag.illegal === true);
  }

  check(offer: string): OfferCheck {
    // Chat text: fold spaces and line breaks so patterns need not care about layout.
    const text = offer.normalize('NFKC').replace(/\s+/g, ' ');
    const found: FoundFlag[] = [];
    for (const flag of this.flags) {
      const match = firstMatch(flag.compiled, text);
      if (!match) continue;
      const also = flag.compiledWith ? firstMatch(flag.compiledWith, text) : undefined;
      if (flag.compiledWith && !also) continue;
      const evidence = also && also !== match ? `${match} … ${also}` : match;
      found.push({ id: flag.id, evidence, weight: flag.weight, explanation: flag.explanation });
    }
    const score = found.reduce((sum, flag) => sum + flag.weight, 0);
    const { high, medium } = this.rules.thresholds;
    const risk: Risk = score >= high ? 'high' : score >= medium ? 'medium' : 'low';
    return { risk, score, flags: found.sort((a, b) => b.weight - a.weight) };
  }
}

/** "tidak ada biaya pendaftaran", "no placement fee", "bukan pekerja rumah tangga": a sign denied is no sign. */
const NEGATION_BEFORE = /\b(tidak|tdk|tak|bukan|tanpa|no|zero|not|never|free\s+of|bebas)\b(\s+\S+){0,2}\s*$/iu;

function firstMatch(patterns: RegExp[], text: string): string | undefined {
  for (const pattern of patterns) {
    const global = new RegExp(pattern.source, 'giu');
    for (const match of text.matchAll(global)) {
      const before = text.slice(Math.max(0, (match.index ?? 0) - 30), match.index);
      const clause = before.split(/[.!?;\n]/).at(-1) ?? '';
      // A pattern that starts with its own negation ("tanpa ijazah") is not negated again.
      if (NEGATION_BEFORE.test(clause) && !/^(tanpa|tidak|tdk|no|gk|gak|jangan|jgn)\b/iu.test(match[0])) continue;
      if (match[0].trim() !== '') return match[0].trim();
    }
  }
  return undefined;
}

export function loadOfferChecker(contentDir: string): OfferChecker {
  return new OfferChecker(readContentYaml(path.join(contentDir, RED_FLAGS_FILE), redFlagsFileSchema));
}
