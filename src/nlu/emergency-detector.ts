import { z } from 'zod';
import { normalizeAnswer } from '../text/normalize.ts';
import { regexSource } from '../text/regex-source.ts';
import { readContentYaml } from '../content/read-content-yaml.ts';


export const emergencyRulesSchema = z
  .object({
    /** Someone is in danger: violence, sexual violence, confinement, threats, suicide, being held. */
    danger: z.array(regexSource).min(1),
    /** Not about now: a question about signs in general, a past event, a hypothetical. */
    not_now: z.array(regexSource),
    /** Danger that no "not now" can cancel (suicidal intent, "right now"). */
    always: z.array(regexSource),
  })
  .strict();

export type EmergencyRules = z.infer<typeof emergencyRulesSchema>;

export interface RuleVerdict {
  emergency: boolean;
  /** Matched an `always` rule: danger that no "not now" cancels. */
  always: boolean;
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
  private readonly notNow: RegExp[];
  private readonly always: RegExp[];

  constructor(rules: EmergencyRules) {
    const compile = (sources: string[]) => sources.map((source) => new RegExp(source, 'u'));
    this.danger = compile(rules.danger);
    this.notNow = compile(rules.not_now);
    this.always = compile(rules.always);
  }

  detect(text: string): RuleVerdict {
    const normalized = ` ${normalizeAnswer(text)} `;
    const strong = this.always.map((pattern) => pattern.exec(normalized)).find(Boolean);
    if (strong) return { emergency: true, always: true, evidence: strong[0].trim() };
    const danger = this.danger.map((pattern) => pattern.exec(normalized)).find(Boolean);
    if (!danger) return { emergency: false, always: false };
    if (this.notNow.some((pattern) => pattern.test(normalized))) return { emergency: false, always: false };
    return { emergency: true, always: false, evidence: danger[0].trim() };
  }
}

export function loadEmergencyDetector(file: string): EmergencyDetector {
  return new EmergencyDetector(readContentYaml(file, emergencyRulesSchema));
}
