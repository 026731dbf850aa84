import type { PlaceDirectory } from '../content/place-directory.ts';
import type { LabelledMessage } from './labelled-messages.ts';
import type { Nlu } from './nlu.ts';
import { understandText } from './understand.ts';

/** Also from here, where it lived before: bench/nlu-replay-score.ts runs in older checkouts too. */
export { loadLabelledMessages } from './labelled-messages.ts';

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
