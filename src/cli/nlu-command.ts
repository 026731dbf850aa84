import { createInterface } from 'node:readline';
import { contentPathsFrom } from '../app/content-paths.ts';
import { Nlu } from '../nlu/nlu.ts';

/**
 * `pelita nlu`: one message per stdin line, one result per line:
 * {"text","language","intent","confidence","emergency"} (tab-separated without --json).
 */
export async function nluCommand(options: { json: boolean; lang: string | undefined }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const nlu = await Nlu.load(contentPathsFrom(env).nlu);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === '') continue;
    const result = await nlu.analyse(line, options.lang);
    process.stdout.write(
      options.json
        ? `${JSON.stringify({ text: result.text, language: result.language, intent: result.intent, confidence: result.confidence, emergency: result.emergency })}\n`
        : `${result.language}\t${result.intent}\t${result.confidence}\t${result.emergency ? 'EMERGENCY' : '-'}\t${line}\n`,
    );
  }
  return 0;
}
