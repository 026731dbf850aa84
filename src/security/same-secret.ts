import { timingSafeEqual } from 'node:crypto';

/**
 * Whether a secret someone sent equals the expected one, in time that does not depend on
 * how much of it matched (a plain === would let an attacker guess it character by character).
 */
export function sameSecret(given: string | Buffer | undefined, expected: string | Buffer): boolean {
  const a = typeof given === 'string' ? Buffer.from(given) : (given ?? Buffer.alloc(0));
  const b = typeof expected === 'string' ? Buffer.from(expected) : expected;
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}
