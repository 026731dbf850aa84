import type { EmergencyKind } from '../core/messages/inbound.ts';

/** Intent names are an interface: flows' triggers and the evaluation data use them. */
export const INTENTS = [
  'greeting',
  'menu',
  'migrate_safely',
  'check_agency',
  'check_job_offer',
  'warning_signs',
  'find_services',
  'returnee_support',
  'talk_to_human',
  'subscribe_alerts',
  'unsubscribe',
  'change_language',
  'delete_data',
  'thanks_bye',
  'emergency',
  'unknown',
] as const;
export type Intent = (typeof INTENTS)[number];

/**
 * Below this, an intent is a guess: it starts nothing, and the person gets a menu instead.
 * The three models' scores are averaged over every intent including `unknown`, so a class
 * with more examples lowers every other intent's score; it is applied to the score given
 * that there is no danger (without the emergency's share). 0.45 is where the development
 * sets' intent accuracy stops rising (see docs/decisions).
 */
export const INTENT_CONFIDENCE_FLOOR = 0.45;
/** One word is little evidence ("banana" scores 0.51 as find_services): it needs more. */
export const ONE_WORD_INTENT_FLOOR = 0.6;

/** What Pelita understood of one message. */
export interface NluResult {
  text: string;
  language: string;
  intent: Intent;
  confidence: number;
  /** Someone may be in danger now: overrides any flow state. */
  emergency: boolean;
  /** How sure the language is (0.5 = a coin toss). */
  languageConfidence: number;
  /** The emergency was found by a rule (explicit words), not only by the classifier's score. */
  emergencyByRule: boolean;
  /** Harm now, suicidal words, or a bare cry to ask about; set with `emergency`. */
  emergencyKind?: EmergencyKind;
  /**
   * Asked about (`unclear`) rather than called danger: what the message asks for if the
   * person says they are safe, so that it is answered then rather than typed again.
   */
  intentIfSafe?: { intent: Intent; confidence: number };
}
