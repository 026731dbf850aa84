import { contentPathsFrom } from '../config/content-paths.ts';
import { readAnswerBank } from '../content/answer-bank.ts';
import { readContacts } from '../content/contact-directory.ts';
import { DEFAULT_SOURCE_MAX_AGE_MONTHS, sourceIsOld } from '../engine/dial-contact.ts';

/** Days since a `verifiedOn` (a month counts from its first day). */
function ageInDays(verifiedOn: string, now: Date): number {
  const date = new Date(verifiedOn.length === 7 ? `${verifiedOn}-01` : verifiedOn);
  return Math.floor((now.getTime() - date.getTime()) / 86_400_000);
}

/**
 * `pelita content stale`: directory entries and answer cards to re-check before they go
 * wrong, oldest first. Entries: those last checked more than `days` ago, and those whose newest source is older
 * than `CONTACT_SOURCE_MAX_AGE_MONTHS` (the bot labels these next to the number); cards
 * last checked more than `days` ago. Exit 0 either way.
 */
export function contentStaleCommand(
  options: { days: number; json: boolean },
  env: NodeJS.ProcessEnv = process.env,
  now = new Date(),
): number {
  const contentDir = contentPathsFrom(env).content;
  const { directory } = readContacts(contentDir);
  const sourceMonths = Number(env.CONTACT_SOURCE_MAX_AGE_MONTHS ?? DEFAULT_SOURCE_MAX_AGE_MONTHS);
  const stale = directory
    .all()
    .map((entry) => {
      const ageDays = ageInDays(entry.verifiedOn, now);
      const reasons = [
        ...(ageDays > options.days ? ['checked'] : []),
        ...(entry.sourceDate !== undefined && sourceIsOld(entry.sourceDate, now.toISOString(), sourceMonths) ? ['old_source'] : []),
      ];
      return {
        id: entry.id,
        value: entry.value ?? null,
        verifiedOn: entry.verifiedOn,
        sourceDate: entry.sourceDate ?? null,
        source: entry.source,
        ageDays,
        reasons,
      };
    })
    .filter((entry) => entry.reasons.length > 0)
    .sort((a, b) => b.ageDays - a.ageDays || (a.sourceDate ?? '').localeCompare(b.sourceDate ?? ''));
  // Answer cards go out of date too: a rule changes, a programme ends.
  const cards = readAnswerBank(contentDir)
    .bank.cards.map((card) => ({
      id: card.id,
      verifiedOn: card.verifiedOn,
      ageDays: ageInDays(card.verifiedOn, now),
      sources: card.sources,
    }))
    .filter((card) => card.ageDays > options.days)
    .sort((a, b) => b.ageDays - a.ageDays);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ days: options.days, sourceMonths, stale, cards })}\n`);
  } else {
    for (const entry of stale) {
      const why = entry.reasons
        .map((reason) => (reason === 'checked' ? `checked ${entry.verifiedOn} (${entry.ageDays} days)` : `source from ${entry.sourceDate}`))
        .join('; ');
      process.stdout.write(`${entry.id}\t${entry.value ?? '(office)'}\t${why}\t${entry.source}\n`);
    }
    process.stdout.write(
      `${stale.length} entr${stale.length === 1 ? 'y' : 'ies'} last checked more than ${options.days} days ago or with a source older than ${sourceMonths} months\n`,
    );
    for (const card of cards)
      process.stdout.write(`card ${card.id}\tchecked ${card.verifiedOn} (${card.ageDays} days)\t${card.sources.join('; ')}\n`);
    process.stdout.write(`${cards.length} answer card${cards.length === 1 ? '' : 's'} last checked more than ${options.days} days ago\n`);
  }
  return 0;
}
