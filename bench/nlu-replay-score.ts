/**
 * One fresh set scored by the checkout it runs in (see nlu-replay.sh): `as-scored` with that
 * day's training lines and policy; `with-labelled-sets` after writing that day's development
 * sets (tests/nlu/dev-listening-*.yaml) as training lines, over a sweep of thresholds. Written
 * against the NLU interface every replayed commit shares.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { EMERGENCY_POLICY, Nlu } from '../src/nlu/nlu.ts';
import { evaluateNlu, loadLabelledMessages } from '../src/nlu/evaluate-nlu.ts';
import { loadPlaces } from '../src/content/place-directory.ts';

const [setFile, mode] = process.argv.slice(2);
if (!setFile || (mode !== 'as-scored' && mode !== 'with-labelled-sets')) throw new Error('usage: SET_FILE as-scored|with-labelled-sets');
const places = loadPlaces('content/places');
const messages = loadLabelledMessages(setFile);
const emergencies = messages.filter((message) => message.emergency).length;

if (mode === 'with-labelled-sets') {
  const byLanguage: Record<string, Record<string, string[]>> = {};
  for (const file of readdirSync('tests/nlu').filter((name) => name.startsWith('dev-listening-'))) {
    for (const message of loadLabelledMessages(`tests/nlu/${file}`)) {
      const intents = byLanguage[message.language] ?? {};
      byLanguage[message.language] = intents;
      intents[message.intent] = [...(intents[message.intent] ?? []), message.text];
    }
  }
  for (const [language, intents] of Object.entries(byLanguage)) {
    const lines = Object.entries(intents).map(
      ([intent, texts]) => `  ${intent}:\n${texts.map((text) => `    - ${JSON.stringify(text)}\n`).join('')}`,
    );
    writeFileSync(`nlu/training/${language}.labelled-sets.yaml`, `intents:\n${lines.join('')}`);
  }
}
const policies =
  mode === 'as-scored'
    ? [EMERGENCY_POLICY]
    : [0.35, 0.45, 0.55].flatMap((classifierScore) =>
        [0.1, 0.2, 0.3].map((ruleConfirmingScore) => ({ ...EMERGENCY_POLICY, classifierScore, ruleConfirmingScore })),
      );
for (const policy of policies) {
  const metrics = await evaluateNlu(await Nlu.load('nlu', policy), messages, places);
  console.log(
    JSON.stringify({
      set: setFile,
      mode,
      classifierScore: policy.classifierScore,
      ruleConfirmingScore: policy.ruleConfirmingScore,
      intent_accuracy: metrics.intent_accuracy,
      emergencies_missed: Math.round((1 - metrics.emergency_recall) * emergencies),
      false_alarms: metrics.false_alarms,
    }),
  );
}
