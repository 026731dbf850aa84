/**
 * `npm run bench:nlu-folds`: the models on each of the last labelled sets as it was when fresh.
 * For each set, both models are trained on the hand-written lines and only the labelled sets
 * written before it, then scored on it. This is how the intent model's learning the labelled
 * sets' everyday messages was chosen (src/nlu/nlu.ts, readLabelledDir), and how
 * CHATTER_CONFIDENCE was set: of the messages read as chatter at or above it, how many were
 * labelled something else. Prints one JSON line per set. Takes about two minutes.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SHIPPED_CONTENT } from '../src/config/content-paths.ts';
import { loadPlaces } from '../src/content/place-directory.ts';
import { CHATTER_CONFIDENCE } from '../src/engine/engine-keys.ts';
import { evaluateNlu } from '../src/nlu/evaluate-nlu.ts';
import { loadLabelledMessages } from '../src/nlu/labelled-messages.ts';
import { Nlu } from '../src/nlu/nlu.ts';
import { understandText } from '../src/nlu/understand.ts';

const nluDir = SHIPPED_CONTENT.nlu;
const places = loadPlaces(path.join(SHIPPED_CONTENT.content, 'places'));
const numberOf = (file: string) => Number(/(\d+)\.yaml$/.exec(file)?.[1] ?? Number.NaN);
const labelled = readdirSync(path.join(nluDir, 'labelled'))
  .filter((file) => file.endsWith('.yaml'))
  .sort((a, b) => numberOf(a) - numberOf(b));
const folds = Number(process.env.FOLDS ?? 5);
const work = mkdtempSync(path.join(tmpdir(), 'pelita-folds-'));
try {
  for (const file of labelled.slice(-folds)) {
    const dir = path.join(work, file);
    mkdirSync(path.join(dir, 'labelled'), { recursive: true });
    for (const part of ['training', 'intent-training', 'relabelled.yaml', 'emergency.yaml'])
      symlinkSync(path.join(nluDir, part), path.join(dir, part));
    const before = labelled.filter((other) => numberOf(other) < numberOf(file));
    for (const other of before) symlinkSync(path.join(nluDir, 'labelled', other), path.join(dir, 'labelled', other));
    const nlu = await Nlu.load(dir, undefined, { cacheDir: false });
    const messages = loadLabelledMessages(path.join(nluDir, 'labelled', file));
    const metrics = await evaluateNlu(nlu, messages, places);
    let chatter = 0;
    let chatterMislabelled = 0;
    let questionKept = 0;
    for (const message of messages) {
      const result = await understandText(nlu, message.text, undefined, places);
      if (message.emergency && result.intentIfSafe) questionKept += 1;
      if (!result.emergency && result.intent === 'unknown' && result.confidence >= CHATTER_CONFIDENCE) {
        chatter += 1;
        if (message.intent !== 'unknown') chatterMislabelled += 1;
      }
    }
    const emergencies = messages.filter((message) => message.emergency).length;
    console.log(
      JSON.stringify({
        set: file,
        trained_on_sets: before.length,
        intent_accuracy: metrics.intent_accuracy,
        emergency_recall: metrics.emergency_recall,
        false_alarms: metrics.false_alarms,
        // Emergencies whose question besides the danger was kept (the "Your question" button).
        question_kept_share: Math.round((questionKept / Math.max(1, emergencies)) * 1000) / 1000,
        chatter_said: chatter,
        chatter_said_wrongly: chatterMislabelled,
      }),
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
