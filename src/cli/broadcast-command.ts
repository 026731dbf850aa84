import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ContactBook } from '../alerts/contact-book.ts';
import { BroadcastError, BroadcastStore, type BroadcastProgress, type BroadcastRecord } from '../alerts/broadcast-store.ts';
import { previewBroadcast } from '../app/broadcast-preview.ts';
import { loadTranslator } from '../content/translator.ts';
import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../core/log/logger.ts';
import { ensureRedis } from '../redis/ensure-redis.ts';
import { openRedis, withTimeout } from '../redis/redis-connection.ts';
import { RedisKeys } from '../redis/redis-keys.ts';
import { messageOf } from '../core/log/error-message.ts';

export type BroadcastAction = 'create' | 'preview' | 'approve' | 'send' | 'pause' | 'resume' | 'cancel' | 'status' | 'list';

export interface BroadcastOptions {
  action: BroadcastAction;
  /** The file for create; the broadcast's id otherwise (none for list). */
  target: string | undefined;
  by: string | undefined;
  json: boolean;
}

/** Actions that change a broadcast: each is audited with the staff member's name. */
export const NAMED_ACTIONS: readonly BroadcastAction[] = ['create', 'approve', 'send', 'pause', 'resume', 'cancel'];

/**
 * `pelita broadcast ...`: NGO alerts from the command line, against the configured Redis.
 * Sending is done by the running Pelita (`pelita start`), which picks a sent broadcast up
 * within a second.
 */
export async function broadcastCommand(options: BroadcastOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const config = loadConfig(env);
  const log = createLogger({ level: 'warn', logMessages: false });
  const reachable = await ensureRedis({ url: config.REDIS_URL, urlWasSet: config.redisUrlWasSet, dataDir: config.DATA_DIR, log });
  const redis = openRedis(reachable.url);
  const keys = new RedisKeys(config.REDIS_PREFIX);
  const translator = loadTranslator(config.content.locales);
  const book = new ContactBook(redis, keys);
  const store = new BroadcastStore(redis, keys, book, {
    approvalThreshold: config.BROADCAST_APPROVAL_THRESHOLD,
    languages: translator.languages,
  });
  const out = (value: unknown, text: string) => process.stdout.write(`${options.json ? JSON.stringify(value) : text}\n`);
  const by = options.by ?? '';
  const id = options.target ?? '';
  const now = () => new Date();
  try {
    switch (options.action) {
      case 'create': {
        const { created, record } = await store.create(readDefinition(id), by, now());
        out({ created, broadcast: record }, `${created ? 'created' : 'already there, unchanged'}: ${summary(record)}`);
        return 0;
      }
      case 'preview': {
        const preview = await previewBroadcast(
          { store, book, redis, keys, translator, approvalThreshold: config.BROADCAST_APPROVAL_THRESHOLD },
          id,
        );
        if (!preview) throw new BroadcastError(404, `no broadcast "${id}"`);
        const lines = [
          `${preview.id} (${preview.state}): ${preview.recipients} recipient${preview.recipients === 1 ? '' : 's'}${preview.needsApproval ? ', needs a second staff member to approve' : ''}`,
          `by channel: ${pairs(preview.byChannel)}`,
          `by language: ${pairs(preview.byLanguage)}${preview.withoutText > 0 ? `; ${preview.withoutText} without a text in their language (skipped)` : ''}`,
          ...(Object.keys(preview.bySegment).length > 0 ? [`by segment: ${pairs(preview.bySegment)}`] : []),
          ...(preview.whatsappOutsideWindow.count > 0
            ? [`WhatsApp outside the 24-hour window: ${preview.whatsappOutsideWindow.count} (${preview.whatsappOutsideWindow.handling})`]
            : []),
          ...preview.rendered.flatMap((shown) => [`--- ${shown.channel}, ${shown.language}`, ...shown.parts]),
        ];
        out(preview, lines.join('\n'));
        return 0;
      }
      case 'approve':
      case 'send':
      case 'pause':
      case 'resume':
      case 'cancel': {
        const record = await store[options.action](id, by, now());
        out({ broadcast: record }, `${options.action}: ${summary(record)}`);
        return 0;
      }
      case 'status': {
        const progress = await store.progress(id, now());
        out({ progress, audit: await store.auditTrail(id) }, progressLine(progress));
        return 0;
      }
      case 'list': {
        const records = await store.list();
        out({ broadcasts: records }, records.map(summary).join('\n') || 'no broadcasts');
        return 0;
      }
      default:
        return options.action satisfies never;
    }
  } catch (error) {
    process.stderr.write(
      `pelita: ${error instanceof BroadcastError || error instanceof DefinitionFileError ? error.message : messageOf(error)}\n`,
    );
    return 1;
  } finally {
    await withTimeout(redis.quit(), 1000).catch(() => redis.disconnect());
    await reachable.stopPrivateServer?.();
  }
}

class DefinitionFileError extends Error {}

/** A broadcast file: YAML (or JSON, which YAML reads too). */
function readDefinition(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new DefinitionFileError(`${file}: ${messageOf(error)}`);
  }
  try {
    return parse(text);
  } catch (error) {
    throw new DefinitionFileError(`${file}: not YAML or JSON: ${messageOf(error)}`);
  }
}

function summary(record: BroadcastRecord): string {
  const who = [`by ${record.createdBy}`, ...(record.approvedBy ? [`approved by ${record.approvedBy}`] : [])].join(', ');
  return `${record.definition.id}\t${record.state}\t${record.definition.title ?? ''}\t${who}${record.targeted !== undefined ? `\t${record.targeted} targeted` : ''}`;
}

function progressLine(progress: BroadcastProgress): string {
  const skipped = Object.entries(progress.skipped).filter(([, count]) => count > 0);
  return [
    `${progress.id} ${progress.state}: ${progress.sent} sent of ${progress.targeted} targeted`,
    `failed ${progress.failed}`,
    `skipped ${skipped.length > 0 ? pairs(Object.fromEntries(skipped)) : 0}`,
    `deferred ${pairs(progress.deferred)}`,
    `pending ${progress.pending}, in flight ${progress.inFlight}${progress.unconfirmed > 0 ? `, waiting for the platform's report ${progress.unconfirmed}` : ''}`,
    `ETA ${progress.etaSeconds === null ? 'unknown yet' : `${progress.etaSeconds} s`}`,
  ].join('; ');
}

function pairs(values: Record<string, number | undefined>): string {
  return (
    Object.entries(values)
      .map(([name, count]) => `${name} ${count ?? 0}`)
      .join(', ') || 'none'
  );
}
