import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/redis-keys.ts';
import { caseSchema, type AuditEntry, type Case, type CaseStatus } from './case.ts';

/** Cases are kept a year after they open: long enough for follow-up, not for ever. */
const RETENTION_SECONDS = 365 * 24 * 3600;

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
   * Opens a case unless the conversation already has an active one (then returns it and
   * notes the new request in its audit). Idempotent for the same id.
   */
  async open(candidate: Case): Promise<{ case: Case; opened: boolean }> {
    const pointer = this.keys.activeCase(candidate.conversationId);
    // Claiming the conversation's pointer is the one atomic step: of two requests at the
    // same moment (two emergency messages 9 ms apart) only one can open a case.
    const claimed = (await this.redis.set(pointer, candidate.id, 'EX', RETENTION_SECONDS, 'NX')) !== null;
    if (!claimed) {
      const activeId = await this.redis.get(pointer);
      const active = activeId === null || activeId === candidate.id ? undefined : await this.getActive(activeId);
      if (active) return { case: await this.addRequest(active, candidate), opened: false };
      // The pointer is this very request's (a retry), or names a case that is gone or resolved.
      if (activeId !== candidate.id) await this.redis.set(pointer, candidate.id, 'EX', RETENTION_SECONDS);
    }
    const stored = await this.redis.set(this.keys.case(candidate.id), JSON.stringify(candidate), 'EX', RETENTION_SECONDS, 'NX');
    if (stored === null) return { case: (await this.get(candidate.id))!, opened: false };
    await this.redis.zadd(this.keys.casesByTime(), Date.parse(candidate.openedAt), candidate.id);
    await this.redis.sadd(this.keys.casesOf(candidate.conversationId), candidate.id);
    await this.redis.expire(this.keys.casesOf(candidate.conversationId), RETENTION_SECONDS);
    await this.audit(candidate.id, { event: 'opened', by: 'system', detail: candidate.reason });
    return { case: candidate, opened: true };
  }

  /**
   * A new request on a conversation's open case: noted in its audit, and what the new
   * request knows of the person's situation (where they are now) replaces the old.
   */
  private async addRequest(active: Case, request: Case): Promise<Case> {
    const situation = request.situation ?? active.situation;
    const country = request.country ?? active.country;
    return this.update(
      active.id,
      (current) => ({ ...current, ...(situation ? { situation } : {}), ...(country ? { country } : {}) }),
      { event: 'asked_again', by: 'person', detail: request.reason },
    );
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
      if (filter.status === 'overdue' ? found.overdue && found.status === 'open' : !filter.status || found.status === filter.status) cases.push(found);
    }
    return cases;
  }

  /** Applies `change` to a case and records it; returns the case as it is now. */
  async update(id: string, change: (current: Case) => Case, entry: Omit<AuditEntry, 'at'>): Promise<Case> {
    const current = await this.get(id);
    if (!current) throw new CaseNotFoundError(id);
    const next = caseSchema.parse(change(current));
    await this.redis.set(this.keys.case(id), JSON.stringify(next), 'KEEPTTL');
    if (next.status === 'resolved') await this.redis.del(this.keys.activeCase(next.conversationId));
    await this.audit(id, entry);
    return next;
  }

  async linkThread(messageId: number, caseId: string): Promise<void> {
    await this.redis.set(this.keys.caseThread(messageId), caseId, 'EX', RETENTION_SECONDS);
  }

  async caseOfThread(messageId: number): Promise<string | undefined> {
    return (await this.redis.get(this.keys.caseThread(messageId))) ?? undefined;
  }

  async audit(id: string, entry: Omit<AuditEntry, 'at'>): Promise<void> {
    const fields = Object.entries({ at: new Date().toISOString(), ...entry }).flatMap(([key, value]) => (value === undefined ? [] : [key, String(value)]));
    await this.redis.xadd(this.keys.caseAudit(id), '*', ...fields);
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
      await this.update(id, (current) => ({ ...current, conversationId: pseudonym, screening: undefined, situation: undefined, country: undefined }), { event: 'anonymised', by: 'person' });
      count += 1;
    }
    await this.redis.del(this.keys.casesOf(conversationId));
    return count;
  }
}

export class CaseNotFoundError extends Error {
  constructor(id: string) {
    super(`no case ${id}`);
    this.name = 'CaseNotFoundError';
  }
}
