import { z } from 'zod';
import { normalizeAnswer } from '../core/text/normalize.ts';
import { regexSource } from '../core/text/regex-source.ts';
import { readContentYaml } from '../content/read-content-yaml.ts';
import type { EmergencyKind } from '../core/messages/inbound.ts';

export const emergencyRulesSchema = z
  .object({
    /** Someone is in danger: violence, sexual violence, confinement, threats, suicide, being held. */
    danger: z.array(regexSource).min(1),
    /** Danger in specific words (arrest, detention, held at sea, threats, sold): no classifier agreement needed. */
    specific: z.array(regexSource),
    /** Further specific danger, as people spell it; treated like `specific`. */
    more_specific: z.array(regexSource),
    /** Not about now: a question about signs in general, a past event, a hypothetical. */
    not_now: z.array(regexSource),
    /** Safe since: rescued, back home. Like `not_now`, and recent harm told with it is over. */
    safe_now: z.array(regexSource).default([]),
    /**
     * Harm to the writer yesterday or last night, told with a question ("yesterday my boss
     * locked me in, is it legal?"): the one who did it is likely still there, so a "not now"
     * there gets the safety question rather than nothing.
     */
    recent_harm: z.array(regexSource).default([]),
    /** Where the part of a message about the present begins ("sekarang", "now"): danger after it is not cancelled by a past before it. */
    now: z.array(regexSource).default([]),
    /** Danger the person says happened to them today or just now ("she did it today"): no question or past cancels it. */
    just_happened: z.array(regexSource).default([]),
    /** A present that is still not danger now: remembering ("skrg trauma tiap liat setrika"), asking how to tell a scam apart, a film being watched. */
    remembering: z.array(regexSource).default([]),
    /** Figures of speech and jokes ("ngakak sampe mau mati"): no rule fires on them. */
    figurative: z.array(regexSource),
    /** Laughter: cancels danger rules, never suicidal words. */
    joking: z.array(regexSource),
    /** Complaints about money: never an emergency on the classifier's score alone. */
    money_only: z.array(regexSource),
    /** Harm to the person said in a money complaint ("dikunci majikan, gaji blm dibayar"): asked about even when the classifier does not confirm it. */
    harm_in_money_complaint: z.array(regexSource).default([]),
    /** Danger that no "not now" can cancel ("right now"). */
    always: z.array(regexSource),
    /** Suicidal words: always an emergency, answered with care first. */
    suicidal: z.array(regexSource).min(1),
    /** Suicidal thoughts or self-harm in the past, with recovery said plainly and nothing after: not now. */
    recovered: z.array(regexSource).default([]),
    /** A bare cry ("tolong", "help"): Pelita asks whether they are in danger rather than open a case. */
    ask_first: z.array(regexSource),
  })
  .strict();

export type EmergencyRules = z.infer<typeof emergencyRulesSchema>;

export interface RuleVerdict {
  emergency: boolean;
  /** Matched an `always`, `suicidal` or `ask_first` rule: danger that no "not now" cancels. */
  always: boolean;
  /** Laughter or a figure of speech in the message: the classifier alone must not call it danger. */
  joking?: boolean;
  /** The message is about money (cheated, unpaid): the classifier alone must not call it danger. */
  aboutMoney?: boolean;
  /** Matched a "not now" rule (a question about rules, the past, a hypothetical): the classifier alone must not call it danger. */
  notNow?: boolean;
  /** Danger held back by money talk names harm to the person (`harm_in_money_complaint`): worth the safety question. */
  harmInMoneyComplaint?: boolean;
  /** Danger a "not now" held back was done to the writer yesterday or last night (`recent_harm`): worth the safety question. */
  recentHarm?: boolean;
  /** Matched a `specific` rule: explicit enough to need no agreement from the classifier. */
  specific?: boolean;
  /** Which kind of rule matched, when one did. */
  kind?: EmergencyKind;
  /** The words that matched. */
  evidence?: string;
}

/**
 * A high-recall emergency detector over normalised chat text ("tlg sy dkurung", "dipukulin",
 * "my boss lock me"), with rules kept as data. A question about warning signs or a story
 * from the past is not an emergency; suicidal words always are.
 */
export class EmergencyDetector {
  private readonly danger: RegExp[];
  private readonly specific: RegExp[];
  private readonly notNow: RegExp[];
  private readonly safeNow: RegExp[];
  private readonly recentHarm: RegExp[];
  private readonly now: RegExp[];
  private readonly remembering: RegExp[];
  private readonly justHappened: RegExp[];
  private readonly always: RegExp[];
  private readonly suicidal: RegExp[];
  private readonly askFirst: RegExp[];
  private readonly moneyOnly: RegExp[];
  private readonly harmInMoneyComplaint: RegExp[];
  private readonly figurative: RegExp[];
  private readonly joking: RegExp[];
  private readonly recovered: RegExp[];

  constructor(rules: EmergencyRules) {
    const compile = (sources: string[]) => sources.map((source) => new RegExp(source, 'u'));
    this.danger = compile(rules.danger);
    this.specific = compile([...rules.specific, ...rules.more_specific]);
    this.notNow = compile(rules.not_now);
    this.safeNow = compile(rules.safe_now);
    this.recentHarm = compile(rules.recent_harm);
    this.now = rules.now.map((source) => new RegExp(source, 'gu'));
    this.remembering = compile(rules.remembering);
    this.justHappened = compile(rules.just_happened);
    this.always = compile(rules.always);
    this.suicidal = compile(rules.suicidal);
    this.askFirst = compile(rules.ask_first);
    this.moneyOnly = compile(rules.money_only);
    this.harmInMoneyComplaint = compile(rules.harm_in_money_complaint);
    this.figurative = compile(rules.figurative);
    this.joking = compile(rules.joking);
    this.recovered = compile(rules.recovered);
  }

  detect(text: string): RuleVerdict {
    const normalized = ` ${normalizeAnswer(text)} `;
    const first = (patterns: RegExp[]) => patterns.map((pattern) => pattern.exec(normalized)).find(Boolean);
    // Emoji are gone from the normalised text; laughter emoji still mark a joke.
    // A figure of speech is no alarm for the rules, nor for the classifier's score alone.
    if (this.figurative.some((pattern) => pattern.test(normalized))) return { emergency: false, always: false, joking: true };
    // "I used to cut myself, been clean two years": the person says it is over. Anything
    // suicidal after the recovery keeps it an emergency (the rules' own lookahead). Recovery
    // speaks only of that past: other danger told after "now" ("skrg majikan ngunci sy") still
    // counts, below.
    const recovered = this.recovered.some((pattern) => pattern.test(normalized));
    const suicidal = recovered ? undefined : first(this.suicidal);
    if (suicidal) return { emergency: true, always: true, kind: 'suicidal', evidence: suicidal[0].trim() };
    // Emoji are gone from the normalised text; laughter emoji still mark a joke. A joke
    // about danger is no alarm on the classifier's score alone either.
    if (this.joking.some((pattern) => pattern.test(normalized) || pattern.test(text)))
      return { emergency: false, always: false, joking: true };
    const strong = first(this.always);
    if (strong) return { emergency: true, always: true, kind: 'danger', evidence: strong[0].trim() };
    const cry = first(this.askFirst);
    if (cry) return { emergency: true, always: true, kind: 'unclear', evidence: cry[0].trim() };
    const specific = first(this.specific);
    const danger = specific ?? first(this.danger);
    const aboutMoney = this.moneyOnly.some((pattern) => pattern.test(normalized));
    // "Dulu kerja di Malaysia, sekarang dikurung majikan": the past is the background, the
    // danger is now. A past cancels only danger said before the message turns to the
    // present; danger said after it, against a past the person set it apart from, needs no
    // agreement from the classifier (which the past words pull down).
    const safe = this.safeNow.some((pattern) => pattern.test(normalized));
    const past = recovered || safe || this.notNow.some((pattern) => pattern.test(normalized));
    // Danger said after the message turns to the present ("oh iya, skrg sy dikurung") is as
    // plain as a specific rule, with or without a past before it: at the end of a long message
    // about remittances and contracts, the classifier gives it almost nothing. Without a past,
    // money talk keeps the usual checks ("my ijazah still held by the PT, they ask 5 million").
    // "Can my employer lock me in? She did it today": a question about the law, then the
    // danger told as today's, is a report, whatever the question words say.
    const justHappened = this.justHappened.some((pattern) => pattern.test(normalized));
    const dangerNow = danger !== undefined && (justHappened || ((past || !aboutMoney) && this.dangerAfterNow(normalized)));
    const notNow = past && !dangerNow;
    if (!danger || notNow) {
      const recentHarm = danger !== undefined && !safe && !recovered && this.recentHarm.some((pattern) => pattern.test(normalized));
      return { emergency: false, always: false, aboutMoney, notNow, ...(recentHarm ? { recentHarm } : {}) };
    }
    const harmInMoneyComplaint = aboutMoney && this.harmInMoneyComplaint.some((pattern) => pattern.test(normalized));
    return {
      emergency: true,
      always: false,
      aboutMoney,
      harmInMoneyComplaint,
      specific: specific !== undefined || dangerNow,
      kind: 'danger',
      evidence: danger[0].trim(),
    };
  }

  /** Whether danger is said after the last word that turns the message to the present. */
  private dangerAfterNow(normalized: string): boolean {
    let start = -1;
    let end = -1;
    for (const pattern of this.now) {
      for (const match of normalized.matchAll(pattern)) {
        if (match.index > start) [start, end] = [match.index, match.index + match[0].length];
      }
    }
    if (start < 0) return false;
    // "Is it a sign of forced labour? I'm locked in right now": a message that ends on its
    // "now" said the present just before it, so its last few words count too.
    if (ENDING_FILLER.test(normalized.slice(end))) start = startOfLastWords(normalized, start, WORDS_BEFORE_A_CLOSING_NOW);
    const present = ` ${normalized.slice(start)}`;
    if (this.remembering.some((pattern) => pattern.test(present))) return false;
    return [...this.specific, ...this.danger].some((pattern) => pattern.test(present));
  }
}

/** What may follow a closing "now" ("... right now pls help"). */
const ENDING_FILLER =
  /^(\s+(tolong|tlg|help|pls|plz|please|kak|min|juga|jg|too|also|ini|lagi|lg|ya|yah|dong|sir|maam|madam|sis|bu|pak|mbak|mas))*\s*$/u;
/** How far before a closing "now" the present reaches ("sy dikunci di kamar majikan skrg"). */
const WORDS_BEFORE_A_CLOSING_NOW = 5;

/** Where the last `count` words before `index` begin. */
function startOfLastWords(text: string, index: number, count: number): number {
  let start = index;
  for (let words = 0; words <= count && start > 0; ) {
    start -= 1;
    if (text[start] === ' ' && start < index - 1) words += 1;
  }
  return Math.max(0, start);
}

export function loadEmergencyDetector(file: string): EmergencyDetector {
  return new EmergencyDetector(readContentYaml(file, emergencyRulesSchema));
}
