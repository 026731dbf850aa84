import { createInterface } from 'node:readline';
import { contentPathsFrom } from '../config/content-paths.ts';
import path from 'node:path';
import { Nlu } from '../nlu/nlu.ts';
import { findEntities } from '../nlu/entities.ts';
import { evaluateNlu } from '../nlu/evaluate-nlu.ts';
import { loadLabelledMessages } from '../nlu/labelled-messages.ts';
import { understandText } from '../nlu/understand.ts';
import { loadPlaces } from '../content/place-directory.ts';
import { writeMetrics } from './write-metrics.ts';

/**
 * `pelita nlu`: one message per stdin line, one result per line:
 * {"text","language","intent","confidence","emergency","entities"} (tab-separated without --json).
 */
export async function nluCommand(
  options: { json: boolean; lang: string | undefined; evaluate?: string | undefined; errors?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const paths = contentPathsFrom(env);
  const places = loadPlaces(path.join(paths.content, 'places'));
  const nlu = await Nlu.load(paths.nlu);
  if (options.evaluate !== undefined) {
    // The figures the tests hold and `npm run bench` reports, for any labelled file.
    const messages = loadLabelledMessages(options.evaluate);
    const metrics = await evaluateNlu(nlu, messages, places);
    if (options.errors) {
      // For tuning on a development set; never read a held-out set this way.
      for (const message of messages) {
        const result = await understandText(nlu, message.text, undefined, places);
        if (result.intent === message.intent && result.emergency === message.emergency) continue;
        process.stdout.write(
          `${message.emergency ? 'E' : '-'}>${result.emergency ? 'E' : '-'}\t${message.intent}>${result.intent}\t${result.confidence}\t${message.text}\n`,
        );
      }
    }
    writeMetrics(options.evaluate, metrics, options.json);
    return 0;
  }
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === '') continue;
    const result = await nlu.analyse(line, options.lang);
    const entities = findEntities(line, places);
    process.stdout.write(
      options.json
        ? `${JSON.stringify({
            text: result.text,
            language: result.language,
            intent: result.intent,
            confidence: result.confidence,
            emergency: result.emergency,
            ...(result.emergencyKind ? { emergencyKind: result.emergencyKind } : {}),
            ...(result.intentIfSafe ? { intentIfSafe: result.intentIfSafe } : {}),
            entities,
          })}\n`
        : `${result.language}\t${result.intent}\t${result.confidence}\t${result.emergency ? `EMERGENCY:${result.emergencyKind}` : '-'}\t${JSON.stringify(entities)}\t${line}\n`,
    );
  }
  return 0;
}
