import { createInterface } from 'node:readline';
import { contentPathsFrom } from '../app/content-paths.ts';
import path from 'node:path';
import { Nlu } from '../nlu/nlu.ts';
import { findEntities } from '../nlu/entities.ts';
import { loadPlaces } from '../places/place-directory.ts';

/**
 * `pelita nlu`: one message per stdin line, one result per line:
 * {"text","language","intent","confidence","emergency","entities"} (tab-separated without --json).
 */
export async function nluCommand(options: { json: boolean; lang: string | undefined }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const paths = contentPathsFrom(env);
  const places = loadPlaces(path.join(paths.content, 'places'));
  const nlu = await Nlu.load(paths.nlu);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === '') continue;
    const result = await nlu.analyse(line, options.lang);
    const entities = findEntities(line, places);
    process.stdout.write(
      options.json
        ? `${JSON.stringify({ text: result.text, language: result.language, intent: result.intent, confidence: result.confidence, emergency: result.emergency, entities })}\n`
        : `${result.language}\t${result.intent}\t${result.confidence}\t${result.emergency ? 'EMERGENCY' : '-'}\t${JSON.stringify(entities)}\t${line}\n`,
    );
  }
  return 0;
}
