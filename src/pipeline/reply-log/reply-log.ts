import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { AddressedReply, OutboundBatch, ReplyChoice } from '../../core/messages/reply.ts';
import type { RedisKeys } from '../../redis/redis-keys.ts';
import { LuaScript, runCall, type ScriptCall } from '../../redis/lua-script.ts';

/** Appends a whole turn, unless its delivered marker says it was (lua/append-turn.lua). */
const APPEND_TURN = LuaScript.fromFile(new URL('./lua/append-turn.lua', import.meta.url));

/** As APPEND_TURN, and sets the marker, for a batch that may be delivered again (lua/append-turn-once.lua). */
const APPEND_TURN_ONCE = LuaScript.fromFile(new URL('./lua/append-turn-once.lua', import.meta.url), { append: APPEND_TURN });

export interface LoggedReply {
  id: string;
  inReplyTo: string;
  text: string;
  choices: ReplyChoice[];
}

export type ReplyLogEntry = { cursor: string; type: 'reply'; reply: LoggedReply } | { cursor: string; type: 'turn-end'; inReplyTo: string };

/** The event that ends every waiting long poll (a symbol: it cannot be a conversation's id). */
const WAITS_ENDED = Symbol('waits ended');

/**
 * Replies for channels whose clients fetch them (HTTP long-polling, the console): one
 * Redis stream per conversation, whose entry ids are the clients' cursors. After a turn's
 * replies comes a `turn-end` entry, so a client knows when an answer is complete even
 * when it has no replies at all.
 */
export class ReplyLog {
  private readonly events = new EventEmitter();
  private waitsEnded = false;
  private subscriber: Redis | undefined;
  private subscribed: Promise<unknown> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly retentionSeconds = 7 * 24 * 3600,
    private readonly maxEntries = 1000,
  ) {
    // One waiter per long-polling request; hundreds are normal for a busy gateway.
    this.events.setMaxListeners(0);
  }

  /** Appends the batch unless it was appended before (a batch delivered again after a crash). */
  async append(batch: OutboundBatch): Promise<boolean> {
    return (await runCall(this.redis, { ...this.appendCall(batch), script: APPEND_TURN_ONCE })) === 1;
  }

  /**
   * The append as a write for a step that makes it once by itself: the turn's commit, which
   * removes the message from the inbox in the same atomic step, so it never runs twice and
   * sets no marker (a key less per turn, kept for a week). It still respects one: a turn
   * that escalated was appended on its own first.
   */
  appendCall(batch: OutboundBatch): ScriptCall {
    return {
      script: APPEND_TURN,
      keys: [this.keys.replyLog(batch.conversationId), this.keys.replyLogDelivered(batch.conversationId, batch.inReplyTo)],
      args: [
        this.keys.replyNotifications,
        batch.conversationId,
        this.retentionSeconds,
        this.maxEntries,
        batch.inReplyTo,
        ...batch.replies.map((reply) => JSON.stringify(toLogged(reply))),
      ],
    };
  }

  /** Entries after `cursor` ("0" for all), oldest first. */
  async read(conversationId: string, cursor: string, count = 100): Promise<ReplyLogEntry[]> {
    const start = cursor === '0' ? '-' : `(${cursor}`;
    const rows = await this.redis.xrange(this.keys.replyLog(conversationId), start, '+', 'COUNT', count);
    return rows.map(([id, fields]) => parseEntry(id, fields));
  }

  /** The cursor of the newest entry, to start reading from "now". */
  async latestCursor(conversationId: string): Promise<string> {
    const rows = await this.redis.xrevrange(this.keys.replyLog(conversationId), '+', '-', 'COUNT', 1);
    return rows[0]?.[0] ?? '0';
  }

  /**
   * Entries after `cursor`, waiting up to `waitMs` for some to arrive. One subscriber
   * connection serves every waiting request of this process.
   */
  async wait(conversationId: string, cursor: string, waitMs: number): Promise<ReplyLogEntry[]> {
    const now = await this.read(conversationId, cursor);
    if (now.length > 0 || waitMs <= 0 || this.waitsEnded) return now;
    await this.subscribe();
    return new Promise<ReplyLogEntry[]>((resolve, reject) => {
      let settled = false;
      const finish = (entries: ReplyLogEntry[]) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.events.off(conversationId, onNotify);
        this.events.off(WAITS_ENDED, onEnd);
        resolve(entries);
      };
      const onEnd = () => finish([]);
      this.events.once(WAITS_ENDED, onEnd);
      const check = () => {
        this.read(conversationId, cursor).then(
          (entries) => {
            if (entries.length > 0) finish(entries);
          },
          (error: unknown) => {
            if (!settled) {
              settled = true;
              clearTimeout(timer);
              this.events.off(conversationId, onNotify);
              this.events.off(WAITS_ENDED, onEnd);
              reject(error);
            }
          },
        );
      };
      const onNotify = () => check();
      const timer = setTimeout(() => finish([]), waitMs);
      this.events.on(conversationId, onNotify);
      // A turn may have landed between the first read and the subscription.
      check();
    });
  }

  /**
   * Answers every waiting long poll now (with nothing new) and every later one at once: a
   * process that is stopping must not keep clients, or its own shutdown, waiting up to 30 s.
   * Their next poll reaches another gateway.
   */
  endWaits(): void {
    this.waitsEnded = true;
    this.events.emit(WAITS_ENDED);
  }

  async close(): Promise<void> {
    this.events.removeAllListeners();
    if (this.subscriber) await this.subscriber.quit().catch(() => undefined);
    this.subscriber = undefined;
    this.subscribed = undefined;
  }

  private async subscribe(): Promise<void> {
    if (!this.subscribed) {
      const subscriber = this.redis.duplicate();
      this.subscriber = subscriber;
      subscriber.on('message', (_channel: string, conversationId: string) => this.events.emit(conversationId));
      subscriber.on('error', () => {
        // ioredis reconnects by itself; waiters fall back to their timeout meanwhile.
      });
      this.subscribed = subscriber.subscribe(this.keys.replyNotifications);
    }
    await this.subscribed;
  }
}

function toLogged(reply: AddressedReply): LoggedReply {
  return { id: reply.id, inReplyTo: reply.inReplyTo, text: reply.text, choices: reply.choices ?? [] };
}

function parseEntry(cursor: string, fields: string[]): ReplyLogEntry {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i]!] = fields[i + 1]!;
  if (record.type === 'reply') {
    const reply = loggedReplySchema.safeParse(jsonOrUndefined(record.reply));
    if (reply.success) return { cursor, type: 'reply', reply: reply.data };
  }
  // A marker, or a reply that does not read back (a hand edit): the cursor still moves past it.
  return { cursor, type: 'turn-end', inReplyTo: record.inReplyTo ?? '' };
}

const loggedReplySchema: z.ZodType<LoggedReply> = z.object({
  id: z.string(),
  inReplyTo: z.string(),
  text: z.string(),
  choices: z.array(z.object({ id: z.string(), label: z.string() })),
});

function jsonOrUndefined(raw: string | undefined): unknown {
  try {
    return raw === undefined ? undefined : JSON.parse(raw);
  } catch {
    return undefined;
  }
}
