import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/redis-keys.ts';
import { RELEASE } from '../redis/lock-release.ts';
import { LuaScript, runCall, type ScriptCall } from '../redis/lua-script.ts';
import { caseSchema, type AuditEntry, type Case, type CaseStatus } from './case.ts';

/** Cases are kept a year after they open: long enough for follow-up, not for ever. */
const RETENTION_SECONDS = 365 * 24 * 3600;

/**
 * Opens a case, or adds a request to the conversation's active one, in one atomic step
 * (lua/open-case.lua). It runs inside the commit of the turn that asked for a human (see
 * CaseStore.openCall): the case exists exactly when the turn is stored, so a "delete my
 * data" (a later turn of the same conversation) always finds it, and of two emergency
 * messages only the first opens a case.
 */
const OPEN_CASE = LuaScript.fromFile(new URL('./lua/open-case.lua', import.meta.url));

/** Replaces a case only if it is still as it was read, with its audit entry (lua/replace-case.lua). */
const REPLACE_CASE = LuaScript.fromFile(new URL('./lua/replace-case.lua', import.meta.url), { release: RELEASE });

/**
 * Cases in Redis: one JSON value per case, a sorted set to list them, a pointer from a
 * conversation to its active case, and an audit trail per case as a Redis stream. Every
 * change goes through here and leaves an audit entry (who and what, never the person's
 * words).
 */
export class CaseStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /**
   * The write that opens `candidate`, or adds it as a request to the conversation's active
   * case: to be carried by the commit of the turn that asked (see OPEN_CASE).
   */
  openCall(candidate: Case): ScriptCall {
    const { id, conversationId } = candidate;
    return {
      script: OPEN_CASE,
      keys: [
        this.keys.activeCase(conversationId),
        this.keys.case(id),
        this.keys.caseAudit(id),
        this.keys.casesByTime(),
        this.keys.casesOf(conversationId),
        this.keys.casesOpened(),
      ],
      args: [
        JSON.stringify(caseSchema.parse(candidate)),
        id,
        Date.parse(candidate.openedAt),
        RETENTION_SECONDS,
        new Date().toISOString(),
        candidate.reason,
        this.keys.case(''),
        candidate.situation ? JSON.stringify(candidate.situation) : '',
        candidate.country ?? '',
      ],
    };
  }

  /** Opens a case on its own (outside a turn); idempotent for the same id. */
  async open(candidate: Case): Promise<{ case: Case; opened: boolean }> {
    const [opened, id] = (await runCall(this.redis, this.openCall(candidate))) as [number, string];
    const found = await this.get(id);
    if (!found) throw new CaseNotFoundError(id);
    return { case: found, opened: opened === 1 };
  }

  /** Takes the next newly opened case to announce, waiting up to `waitSeconds` (on a connection of its own). */
  async takeOpened(blocking: Redis, waitSeconds: number): Promise<string | null> {
    return blocking.blmove(this.keys.casesOpened(), this.keys.casesOpening(), 'LEFT', 'RIGHT', waitSeconds);
  }

  /** The case is announced (its notice is scheduled). */
  async openedHandled(id: string): Promise<void> {
    await this.redis.lrem(this.keys.casesOpening(), 1, id);
  }

  /**
   * Puts back cases whose announcement a stopped process left half done. Another process
   * may be announcing one of them right now: announcing twice is harmless (job ids).
   */
  async requeueOpening(): Promise<number> {
    let moved = 0;
    while ((await this.redis.lmove(this.keys.casesOpening(), this.keys.casesOpened(), 'RIGHT', 'LEFT')) !== null) moved += 1;
    return moved;
  }

  async get(id: string): Promise<Case | undefined> {
    const raw = await this.redis.get(this.keys.case(id));
    return raw === null ? undefined : caseSchema.parse(JSON.parse(raw));
  }

  async activeFor(conversationId: string): Promise<Case | undefined> {
    const id = await this.redis.get(this.keys.activeCase(conversationId));
    return id === null ? undefined : this.getActive(id);
  }

  /** The case, unless it is resolved. */
  async getActive(id: string): Promise<Case | undefined> {
    const found = await this.get(id);
    return found && found.status !== 'resolved' ? found : undefined;
  }

  /** A conversation's cases, oldest first. */
  async forConversation(conversationId: string): Promise<Case[]> {
    const cases: Case[] = [];
    for (const id of await this.redis.smembers(this.keys.casesOf(conversationId))) {
      const found = await this.get(id);
      if (found) cases.push(found);
    }
    return cases.sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.id.localeCompare(b.id));
  }

  /** Newest first; `overdue` lists open cases past their SLA. */
  async list(filter: { status?: CaseStatus | 'overdue'; limit?: number } = {}): Promise<Case[]> {
    const ids = await this.redis.zrevrange(this.keys.casesByTime(), 0, (filter.limit ?? 200) - 1);
    const cases: Case[] = [];
    for (const id of ids) {
      const found = await this.get(id);
      if (!found) {
        await this.redis.zrem(this.keys.casesByTime(), id);
        continue;
      }
      if (filter.status === 'overdue' ? found.overdue && found.status === 'open' : !filter.status || found.status === filter.status)
        cases.push(found);
    }
    return cases;
  }

  /** Applies `change` to a case and records it; returns the case as it is now. */
  async update(id: string, change: (current: Case) => Case, entry: Omit<AuditEntry, 'at'>): Promise<Case> {
    for (;;) {
      const raw = await this.redis.get(this.keys.case(id));
      if (raw === null) throw new CaseNotFoundError(id);
      const next = caseSchema.parse(change(caseSchema.parse(JSON.parse(raw))));
      const replaced = await REPLACE_CASE.run(
        this.redis,
        [this.keys.case(id), this.keys.caseAudit(id), this.keys.activeCase(next.conversationId)],
        [raw, JSON.stringify(next), id, next.status === 'resolved' ? '1' : '0', RETENTION_SECONDS, ...auditFields(entry)],
      );
      if (replaced === 1) return next;
    }
  }

  async linkThread(messageId: number, caseId: string): Promise<void> {
    await this.redis.set(this.keys.caseThread(messageId), caseId, 'EX', RETENTION_SECONDS);
  }

  async caseOfThread(messageId: number): Promise<string | undefined> {
    return (await this.redis.get(this.keys.caseThread(messageId))) ?? undefined;
  }

  async audit(id: string, entry: Omit<AuditEntry, 'at'>): Promise<void> {
    await this.redis.xadd(this.keys.caseAudit(id), '*', ...auditFields(entry));
    await this.redis.expire(this.keys.caseAudit(id), RETENTION_SECONDS);
  }

  async auditTrail(id: string): Promise<AuditEntry[]> {
    const entries = await this.redis.xrange(this.keys.caseAudit(id), '-', '+');
    return entries.map(([, fields]) => {
      const record: Record<string, string> = {};
      for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i]!] = fields[i + 1]!;
      return { at: record.at ?? '', event: record.event ?? '', by: record.by ?? '', ...(record.detail ? { detail: record.detail } : {}) };
    });
  }

  /** "Delete my data": the cases stay (a case worker may still need to act) but no longer say who. */
  async anonymise(conversationId: string, pseudonym: string): Promise<number> {
    await this.redis.del(this.keys.activeCase(conversationId));
    let count = 0;
    for (const id of await this.redis.smembers(this.keys.casesOf(conversationId))) {
      if (!(await this.get(id))) continue;
      await this.update(
        id,
        (current) => ({ ...current, conversationId: pseudonym, screening: undefined, situation: undefined, country: undefined }),
        { event: 'anonymised', by: 'person' },
      );
      count += 1;
    }
    await this.redis.del(this.keys.casesOf(conversationId));
    return count;
  }
}

function auditFields(entry: Omit<AuditEntry, 'at'>): string[] {
  return Object.entries({ at: new Date().toISOString(), ...entry }).flatMap(([key, value]) =>
    value === undefined ? [] : [key, String(value)],
  );
}

export class CaseNotFoundError extends Error {
  constructor(id: string) {
    super(`no case ${id}`);
    this.name = 'CaseNotFoundError';
  }
}
