import type { Case } from '../cases/case.ts';
import { CaseStore } from '../cases/case-store.ts';
import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../core/log/logger.ts';
import { ensureRedis } from '../redis/ensure-redis.ts';
import { openRedis, withTimeout } from '../redis/redis-connection.ts';
import { RedisKeys } from '../redis/redis-keys.ts';

/** Runs `work` against the configured Redis (a private one in DATA_DIR when that is what Pelita uses). */
async function withCases<T>(work: (store: CaseStore) => Promise<T>, env: NodeJS.ProcessEnv): Promise<T> {
  const config = loadConfig(env);
  const log = createLogger({ level: 'warn', logMessages: false });
  const reachable = await ensureRedis({ url: config.REDIS_URL, urlWasSet: config.redisUrlWasSet, dataDir: config.DATA_DIR, log });
  const redis = openRedis(reachable.url);
  try {
    return await work(new CaseStore(redis, new RedisKeys(config.REDIS_PREFIX)));
  } finally {
    await withTimeout(redis.quit(), 1000).catch(() => redis.disconnect());
    await reachable.stopPrivateServer?.();
  }
}

function line(found: Case): string {
  const flags = [found.status, ...(found.overdue && found.status === 'open' ? ['OVERDUE'] : [])].join(' ');
  return `${found.id}\t${flags}\t${found.reason}\t${found.conversationId}\t${found.language ?? '-'}\t${found.country ?? '-'}\t${
    found.situation
      ? Object.entries(found.situation)
          .map(([name, value]) => `${name}=${value}`)
          .join(',')
      : '-'
  }\topened ${found.openedAt}${found.operator ? `\tby ${found.operator.name}` : ''}`;
}

/** `pelita cases list [--status open|claimed|resolved|overdue] [--json]`: newest first. */
export async function casesListCommand(
  options: { status: 'open' | 'claimed' | 'resolved' | 'overdue' | undefined; json: boolean },
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const cases = await withCases((store) => store.list(options.status ? { status: options.status } : {}), env);
  if (options.json) process.stdout.write(`${JSON.stringify({ cases })}\n`);
  else {
    for (const found of cases) process.stdout.write(`${line(found)}\n`);
    process.stdout.write(`${cases.length} case${cases.length === 1 ? '' : 's'}\n`);
  }
  return 0;
}

/** `pelita cases show ID [--json]`: the case and its audit trail; exit 1 when there is no such case. */
export async function casesShowCommand(options: { id: string; json: boolean }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const shown = await withCases(async (store) => {
    const found = await store.get(options.id);
    return found ? { case: found, audit: await store.auditTrail(found.id) } : undefined;
  }, env);
  if (!shown) {
    process.stderr.write(`pelita: no case ${options.id}\n`);
    return 1;
  }
  if (options.json) process.stdout.write(`${JSON.stringify(shown)}\n`);
  else {
    process.stdout.write(`${line(shown.case)}\n`);
    if (shown.case.screening) process.stdout.write(`screening: ${JSON.stringify(shown.case.screening)}\n`);
    for (const entry of shown.audit)
      process.stdout.write(`  ${entry.at}\t${entry.event}\t${entry.by}${entry.detail ? `\t${entry.detail}` : ''}\n`);
  }
  return 0;
}
