import { contentPathsFrom } from '../app/content-paths.ts';
import { readContacts } from '../content/contact-directory.ts';
import { DEFAULT_SOURCE_MAX_AGE_MONTHS, sourceIsOld } from '../engine/dial-contact.ts';

/** Days since a `verifiedOn` (a month counts from its first day). */
function ageInDays(verifiedOn: string, now: Date): number {
  const date = new Date(verifiedOn.length === 7 ? `${verifiedOn}-01` : verifiedOn);
  return Math.floor((now.getTime() - date.getTime()) / 86_400_000);
}

/**
 * `pelita content stale`: directory entries to re-check before a number goes wrong, oldest
 * first: those last checked more than `days` ago, and those whose newest source is older
 * than `CONTACT_SOURCE_MAX_AGE_MONTHS` (the bot labels these next to the number). Exit 0
 * either way.
 */
export function contentStaleCommand(options: { days: number; json: boolean }, env: NodeJS.ProcessEnv = process.env, now = new Date()): number {
  const { directory } = readContacts(contentPathsFrom(env).content);
  const sourceMonths = Number(env.CONTACT_SOURCE_MAX_AGE_MONTHS ?? DEFAULT_SOURCE_MAX_AGE_MONTHS);
  const stale = directory
    .all()
    .map((entry) => {
      const ageDays = ageInDays(entry.verifiedOn, now);
      const reasons = [
        ...(ageDays > options.days ? ['checked'] : []),
        ...(entry.sourceDate !== undefined && sourceIsOld(entry.sourceDate, now.toISOString(), sourceMonths) ? ['old_source'] : []),
      ];
      return { id: entry.id, value: entry.value ?? null, verifiedOn: entry.verifiedOn, sourceDate: entry.sourceDate ?? null, source: entry.source, ageDays, reasons };
    })
    .filter((entry) => entry.reasons.length > 0)
    .sort((a, b) => b.ageDays - a.ageDays || (a.sourceDate ?? '').localeCompare(b.sourceDate ?? ''));
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ days: options.days, sourceMonths, stale })}\n`);
  } else {
    for (const entry of stale) {
      const why = entry.reasons.map((reason) => (reason === 'checked' ? `checked ${entry.verifiedOn} (${entry.ageDays} days)` : `source from ${entry.sourceDate}`)).join('; ');
      process.stdout.write(`${entry.id}\t${entry.value ?? '(office)'}\t${why}\t${entry.source}\n`);
    }
    process.stdout.write(`${stale.length} entr${stale.length === 1 ? 'y' : 'ies'} last checked more than ${options.days} days ago or with a source older than ${sourceMonths} months\n`);
  }
  return 0;
}
