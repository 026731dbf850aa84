import { readdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type EmergencyDetector, loadEmergencyDetector } from './emergency-detector.ts';
import { IntentClassifier } from './intent-classifier.ts';
import { LanguageIdentifier } from './language-identifier.ts';
import { INTENT_CONFIDENCE_FLOOR, type Intent, type NluResult, ONE_WORD_INTENT_FLOOR } from './nlu-result.ts';
import { readContentYaml } from '../content/read-content-yaml.ts';

const trainingFileSchema = z.object({ intents: z.record(z.string(), z.array(z.coerce.string()).min(1)) }).strict();

/**
 * How rules and the classifier decide together. Specific rules (arrest, the sea, threats,
 * suicidal words, a bare "tolong") need nothing more; the broad danger rules ("dipukul",
 * "locked") need a little agreement from the classifier, which has learnt questions and old
 * stories that use the same words; the classifier alone raises an alarm for what no rule
 * knows, unless the message is about money, a joke, only a place, or plainly not about now
 * (a question about a rule, a past event, a hypothetical). Both scores are the highest at
 * which every development set keeps every emergency (`npm run bench:nlu-calibrate`): since
 * everyday chatter joined the training data, the classifier gives some plain reports
 * ("madam punched me") less than 0.2, so a broad rule needs only 0.1 of agreement.
 */
export interface EmergencyPolicy {
  /** The classifier's emergency score a broad danger rule needs to raise an alarm. */
  ruleConfirmingScore: number;
  /** The score at which the classifier alone raises one (two words or more). */
  classifierScore: number;
  /**
   * The score it needs alone when a "not now" rule matched (a question about a rule, a past
   * event): the false alarms of the third development set scored 0.53-0.86 there, so only a
   * classifier that is all but sure overrides what the words say.
   */
  notNowClassifierScore: number;
}
export const EMERGENCY_POLICY: EmergencyPolicy = { ruleConfirmingScore: 0.1, classifierScore: 0.45, notNowClassifierScore: 0.9 };

/**
 * Understanding one message: its language, its intent and whether someone is in danger.
 * Trained at start-up from nlu/training/<lng>.yaml; nlu/emergency.yaml holds the
 * emergency rules. Deterministic once trained.
 */
export class Nlu {
  private constructor(
    private readonly languages: LanguageIdentifier,
    private readonly intents: IntentClassifier,
    private readonly emergencies: EmergencyDetector,
    private readonly policy: EmergencyPolicy,
  ) {}

  /** `policy`: only for calibration (bench/nlu-calibrate.ts); the shipped one is EMERGENCY_POLICY. */
  static async load(nluDir: string, policy: EmergencyPolicy = EMERGENCY_POLICY): Promise<Nlu> {
    const trainingDir = path.join(nluDir, 'training');
    const utterances: Record<string, Record<string, string[]>> = {};
    // <lng>.yaml, plus any <lng>.<part>.yaml: one language's utterances may be split by author.
    for (const file of readdirSync(trainingDir)
      .filter((name) => name.endsWith('.yaml'))
      .sort()) {
      const language = file.split('.')[0] ?? file;
      utterances[language] ??= {};
      const merged = utterances[language];
      for (const [intent, texts] of Object.entries(readContentYaml(path.join(trainingDir, file), trainingFileSchema).intents)) {
        merged[intent] = [...(merged[intent] ?? []), ...texts];
      }
    }
    const languageTraining = Object.fromEntries(
      Object.entries(utterances).map(([language, intents]) => [language, Object.values(intents).flat()]),
    );
    return new Nlu(
      new LanguageIdentifier(languageTraining),
      await IntentClassifier.train(utterances),
      loadEmergencyDetector(path.join(nluDir, 'emergency.yaml')),
      policy,
    );
  }

  /** `prior`: the person's stored language, which wins when the text is ambiguous. */
  async analyse(text: string, prior?: string): Promise<NluResult> {
    const { language, confidence: languageConfidence } = this.languages.identify(text, prior);
    const classified = await this.intents.classify(text, language);
    const rule = this.emergencies.detect(text);
    // The classifier's score alone is noisy on one-word answers ("3", "mungkin"): it counts
    // from two words on. Suicidal words and a bare "tolong!" (`always` rules) need nothing more.
    const words = text.trim().split(/\s+/).length;
    const score = classified.emergencyScore;
    const byRule = rule.always || rule.specific === true || (rule.emergency && score >= this.policy.ruleConfirmingScore);
    const classifierBar = rule.notNow ? this.policy.notNowClassifierScore : this.policy.classifierScore;
    const emergency = byRule || (words >= 2 && score >= classifierBar && !rule.aboutMoney && !rule.joking);
    // The detector decides emergencies; otherwise the best intent that is not one.
    const best = emergency
      ? { intent: 'emergency' as Intent, score: byRule ? 1 : score }
      : (classified.ranked.find((entry) => entry.intent !== 'emergency') ?? { intent: 'unknown' as Intent, score: 0 });
    const floor = words >= 2 ? INTENT_CONFIDENCE_FLOOR : ONE_WORD_INTENT_FLOOR;
    const intent: Intent = best.score < floor && !emergency ? 'unknown' : best.intent;
    const emergencyKind = emergency ? (rule.kind ?? 'danger') : undefined;
    return {
      text,
      language,
      intent,
      confidence: Math.round(best.score * 1000) / 1000,
      emergency,
      languageConfidence,
      emergencyByRule: byRule,
      ...(emergencyKind ? { emergencyKind } : {}),
    };
  }
}
