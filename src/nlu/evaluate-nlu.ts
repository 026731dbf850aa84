import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { ContentError } from '../content/content-error.ts';
import type { PlaceDirectory } from '../content/place-directory.ts';
import type { Nlu } from './nlu.ts';
import { understandText } from './understand.ts';

export const labelledMessageSchema = z
  .object({ text: z.coerce.string(), language: z.string(), intent: z.string(), emergency: z.boolean() })
  .strict();
export type LabelledMessage = z.infer<typeof labelledMessageSchema>;

const labelledSetSchema = z.object({ messages: z.array(labelledMessageSchema) });

/** Reads a labelled set; a malformed one names the file and where in it, so a set writer can fix it. */
export function loadLabelledMessages(file: string): LabelledMessage[] {
  const result = labelledSetSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw new ContentError(
      file,
      `not a labelled set ("messages:" then a list of { text, language, intent, emergency }): ${problems.slice(0, 3).join('; ')}`,
    );
  }
  return result.data.messages;
}

export interface NluMetrics {
  messages: number;
  intent_accuracy: number;
  language_accuracy: number;
  emergency_recall: number;
  false_alarm_rate: number;
  /** Of the emergencies caught, how many only by the safety question ("are you in danger right now?"). */
  emergencies_asked: number;
  /** Messages with no emergency that raised one (counted in `false_alarm_rate`). */
  false_alarms: number;
  /** Of the false alarms, how many were only that question (no case, no hotlines). */
  false_alarms_asked: number;
  ms_per_message: number;
}

/** Scores the NLU on labelled messages as the engine gets them, the way the tests and `npm run bench` report it. */
export async function evaluateNlu(nlu: Nlu, messages: LabelledMessage[], places: PlaceDirectory): Promise<NluMetrics> {
  let intents = 0;
  let languages = 0;
  let caught = 0;
  let emergencies = 0;
  let falseAlarms = 0;
  let emergenciesAsked = 0;
  let falseAlarmsAsked = 0;
  const started = performance.now();
  for (const message of messages) {
    const result = await understandText(nlu, message.text, undefined, places);
    if (result.intent === message.intent) intents += 1;
    if (result.language === message.language) languages += 1;
    const asked = result.emergency && result.emergencyKind === 'unclear';
    if (message.emergency) {
      emergencies += 1;
      if (result.emergency) caught += 1;
      if (asked) emergenciesAsked += 1;
    } else if (result.emergency) {
      falseAlarms += 1;
      if (asked) falseAlarmsAsked += 1;
    }
  }
  const elapsed = performance.now() - started;
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    messages: messages.length,
    intent_accuracy: round(intents / messages.length),
    language_accuracy: round(languages / messages.length),
    emergency_recall: round(emergencies === 0 ? 1 : caught / emergencies),
    false_alarm_rate: round(falseAlarms / Math.max(1, messages.length - emergencies)),
    emergencies_asked: emergenciesAsked,
    false_alarms: falseAlarms,
    false_alarms_asked: falseAlarmsAsked,
    ms_per_message: Math.round((elapsed / messages.length) * 1000) / 1000,
  };
}
