/**
 * `npm run bench:nlu-calibrate`: how the emergency policy's thresholds trade recall for
 * false alarms on the development sets (nlu/labelled/dev-listening-3..8.yaml and the first
 * held-out set, whose errors have been read) next to the training-like set. The danger model
 * learns the labelled sets now, so on them this shows how well they are learnt, not how the
 * thresholds carry to new wording: `npm run bench:nlu-replay` calibrates. Never run it on the
 * second held-out set: that one measures, it does not choose.
 */
import { EMERGENCY_POLICY, Nlu } from '../src/nlu/nlu.ts';
import { evaluateNlu } from '../src/nlu/evaluate-nlu.ts';
import { loadLabelledMessages } from '../src/nlu/labelled-messages.ts';
import { loadPlaces } from '../src/content/place-directory.ts';

const places = loadPlaces('content/places');

const sets = {
  dev3: loadLabelledMessages('nlu/labelled/dev-listening-3.yaml'),
  dev4: loadLabelledMessages('nlu/labelled/dev-listening-4.yaml'),
  dev5: loadLabelledMessages('nlu/labelled/dev-listening-5.yaml'),
  dev6: loadLabelledMessages('nlu/labelled/dev-listening-6.yaml'),
  dev7: loadLabelledMessages('nlu/labelled/dev-listening-7.yaml'),
  dev8: loadLabelledMessages('nlu/labelled/dev-listening-8.yaml'),
  first_heldout: loadLabelledMessages('tests/nlu/heldout.yaml'),
  train_like: loadLabelledMessages('tests/nlu/train-like.yaml'),
};
const rows = [];
for (const classifierScore of [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.65, 0.75, 1.01]) {
  for (const ruleConfirmingScore of [0.05, 0.1, 0.2, 0.3]) {
    const nlu = await Nlu.load('nlu', { ...EMERGENCY_POLICY, classifierScore, ruleConfirmingScore });
    const row: Record<string, number> = { classifierScore, ruleConfirmingScore };
    for (const [name, messages] of Object.entries(sets)) {
      const metrics = await evaluateNlu(nlu, messages, places);
      row[`${name}_recall`] = metrics.emergency_recall;
      row[`${name}_false_alarms`] = metrics.false_alarm_rate;
    }
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}
