import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../core/log/logger.ts';
import { ConversationQueue, type DeadLetter } from '../redis/conversation-queue.ts';
import { ensureRedis } from '../redis/ensure-redis.ts';
import { openRedis, withTimeout } from '../redis/redis-connection.ts';
import { RedisKeys } from '../redis/redis-keys.ts';

/** The queue whose turns can be set aside: people's messages to the engine. */
const QUEUE = 'inbound';

/** A letter's id on the command line: conversation and message. */
const idOf = (letter: DeadLetter<unknown>) => `${letter.conversationId}/${letter.item.id}`;

/**
 * `pelita deadletters list|retry ID|drop ID [--json]`: messages the engine failed on too
 * often. Listing shows ids, errors and times, never what the person wrote. `retry` queues
 * the message again at the end of its conversation; `drop` deletes it. Exit 1 for an
 * unknown id.
 */
export async function deadLettersCommand(
  options: { action: 'list' | 'retry' | 'drop'; id: string | undefined; json: boolean },
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const config = loadConfig(env);
  const log = createLogger({ level: 'warn', logMessages: false });
  const reachable = await ensureRedis({ url: config.REDIS_URL, urlWasSet: config.redisUrlWasSet, dataDir: config.DATA_DIR, log });
  const redis = openRedis(reachable.url);
  try {
    const queue = new ConversationQueue<unknown>({
      name: QUEUE,
      redis,
      keys: new RedisKeys(config.REDIS_PREFIX),
      dedupeTtlSeconds: config.DEDUPE_TTL_HOURS * 3600,
    });
    if (options.action === 'list') {
      const letters = (await queue.deadLetters()).map((letter) => ({
        id: idOf(letter),
        error: letter.error,
        attempts: letter.attempts,
        failedAt: letter.failedAt,
      }));
      if (options.json) process.stdout.write(`${JSON.stringify({ deadLetters: letters })}\n`);
      else {
        for (const letter of letters)
          process.stdout.write(`${letter.id}\t${letter.failedAt}\t${letter.attempts} attempts\t${letter.error}\n`);
        process.stdout.write(`${letters.length} dead letter${letters.length === 1 ? '' : 's'}\n`);
      }
      return 0;
    }
    const split = options.id?.lastIndexOf('/') ?? -1;
    const conversationId = split > 0 ? options.id!.slice(0, split) : '';
    const itemId = split > 0 ? options.id!.slice(split + 1) : '';
    const done = conversationId !== '' && (await queue.resolveDeadLetter(conversationId, itemId, options.action === 'retry'));
    if (options.json)
      process.stdout.write(`${JSON.stringify({ id: options.id, [options.action === 'retry' ? 'retried' : 'dropped']: done })}\n`);
    else
      process.stdout.write(
        done ? `${options.action === 'retry' ? 'queued again' : 'dropped'}: ${options.id}\n` : `no dead letter ${options.id}\n`,
      );
    return done ? 0 : 1;
  } finally {
    await withTimeout(redis.quit(), 1000).catch(() => redis.disconnect());
    await reachable.stopPrivateServer?.();
  }
}
