import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../../redis/redis-keys.ts';
import { bearerToken, sameSecret } from '../../core/same-secret.ts';

/** Who is calling the HTTP channel, as far as their credentials say. */
export type HttpCaller =
  /** A partner system (an SMS gateway, an app's server): may act for any of its people. */
  | { kind: 'partner'; name: string }
  /** One person's client (the web chat): may act only for its own conversation. */
  | { kind: 'conversation'; from: string }
  /** No credentials, on a server that only listens on loopback: trusted like a partner. */
  | { kind: 'loopback' }
  /** No credentials: may only start a new conversation of its own. */
  | { kind: 'anonymous' }
  /** Credentials that are wrong or revoked. */
  | { kind: 'refused' };

/**
 * The HTTP channel's credentials. Partners hold named server tokens (from settings).
 * Browser-facing clients get a conversation token when they start a conversation (a first
 * message without `from`): Pelita picks the conversation's id at random, so nobody can
 * claim someone else's, and keeps only a hash of the token in Redis, under the
 * conversation (so "delete my data" removes it with the rest).
 */
export class HttpAccess {
  constructor(
    private readonly deps: {
      redis: Redis;
      keys: RedisKeys;
      partners: readonly { name: string; token: string }[];
      /** Without partner tokens, callers with no credentials are trusted: only when the server listens on loopback alone. */
      openOnLoopback: boolean;
      ttlSeconds: number;
    },
  ) {}

  async callerOf(authorization: string | undefined): Promise<HttpCaller> {
    const token = bearerToken(authorization);
    if (token === undefined) return this.deps.openOnLoopback ? { kind: 'loopback' } : { kind: 'anonymous' };
    const partner = this.partnerOf(token);
    if (partner) return { kind: 'partner', name: partner.name };
    const from = await this.conversationOf(token);
    return from === undefined ? { kind: 'refused' } : { kind: 'conversation', from };
  }

  /** A caller no per-address limit applies to: a partner's server, or anyone on a loopback-only server. */
  isTrusted(authorization: string | undefined): boolean {
    const token = bearerToken(authorization);
    if (token === undefined) return this.deps.openOnLoopback;
    return this.partnerOf(token) !== undefined;
  }

  private partnerOf(token: string): { name: string } | undefined {
    return this.deps.partners.find((partner) => sameSecret(token, partner.token));
  }

  /** Starts a conversation for a client without one: its random id and the token for it. */
  async issue(): Promise<{ from: string; token: string }> {
    const from = `w${randomBytes(12).toString('base64url')}`;
    const secret = randomBytes(24).toString('base64url');
    await this.deps.redis.set(this.keys.httpToken(`http:${from}`), digest(secret), 'EX', this.deps.ttlSeconds);
    return { from, token: `${from}.${secret}` };
  }

  /** The conversation a token opens, or undefined. The token's id part is only a pointer; the secret decides. */
  private async conversationOf(token: string): Promise<string | undefined> {
    const dot = token.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const from = token.slice(0, dot);
    if (!/^w[A-Za-z0-9_-]{16}$/.test(from)) return undefined;
    const key = this.keys.httpToken(`http:${from}`);
    const stored = await this.deps.redis.get(key);
    if (stored === null || !sameSecret(digest(token.slice(dot + 1)), stored)) return undefined;
    // In use: kept as long as a quiet session is.
    await this.deps.redis.expire(key, this.deps.ttlSeconds);
    return from;
  }

  private get keys(): RedisKeys {
    return this.deps.keys;
  }
}

function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Whether a listening address is reachable from this machine only. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
