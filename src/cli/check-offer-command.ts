import { contentPathsFrom } from '../config/content-paths.ts';
import { loadTranslator } from '../content/translator.ts';
import { loadOfferChecker } from '../content/offer-checker.ts';
import { UsageError } from './parse-cli.ts';
import { readAll } from './read-stdin.ts';

/**
 * `pelita check-offer`: the job-offer check on stdin, for NGO staff and scripts. Needs no
 * Redis. `--json` prints {"risk","flags":[{"id","evidence"}]}.
 */
export async function checkOfferCommand(
  options: { json: boolean; lang: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const paths = contentPathsFrom(env);
  const checker = loadOfferChecker(paths.content);
  const offer = await readAll(process.stdin);
  if (offer.trim() === '') throw new UsageError('check-offer reads the offer on standard input, e.g.: pelita check-offer < offer.txt');
  const result = checker.check(offer);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ risk: result.risk, flags: result.flags.map(({ id, evidence }) => ({ id, evidence })) })}\n`);
    return 0;
  }
  const translator = loadTranslator(paths.locales);
  const language = options.lang ?? translator.fallback;
  if (!translator.languages.includes(language)) throw new UsageError(`--lang must be one of ${translator.languages.join(', ')}`);
  process.stdout.write(`${translator.t(`offer_flags.result_${result.risk}`, language)}\n`);
  for (const flag of result.flags) {
    process.stdout.write(
      `${translator.t('offer_flags.flag_line', language, { explanation: translator.t(flag.explanation, language), evidence: flag.evidence })}\n`,
    );
  }
  return 0;
}
