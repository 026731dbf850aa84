import { contentPathsFrom } from '../app/content-paths.ts';
import { readContacts } from '../content/contact-directory.ts';

/** Days since a `verifiedOn` (a month counts from its first day). */
function ageInDays(verifiedOn: string, now: Date): number {
  const date = new Date(verifiedOn.length === 7 ? `${verifiedOn}-01` : verifiedOn);
  return Math.floor((now.getTime() - date.getTime()) / 86_400_000);
}

/**
 * `pelita content stale`: directory entries last checked more than `days` ago, oldest
 * first, so someone re-checks them before a number goes wrong. Exit 0 either way.
 */
export function contentStaleCommand(options: { days: number; json: boolean }, env: NodeJS.ProcessEnv = process.env, now = new Date()): number {
  const { directory } = readContacts(contentPathsFrom(env).content);
  const stale = directory
    .all()
    .map((entry) => ({ id: entry.id, value: entry.value ?? null, verifiedOn: entry.verifiedOn, source: entry.source, ageDays: ageInDays(entry.verifiedOn, now) }))
    .filter((entry) => entry.ageDays > options.days)
    .sort((a, b) => b.ageDays - a.ageDays);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ days: options.days, stale })}\n`);
  } else {
    for (const entry of stale) process.stdout.write(`${entry.id}\t${entry.value ?? '(office)'}\tchecked ${entry.verifiedOn} (${entry.ageDays} days)\t${entry.source}\n`);
    process.stdout.write(`${stale.length} entr${stale.length === 1 ? 'y' : 'ies'} last checked more than ${options.days} days ago\n`);
  }
  return 0;
}
