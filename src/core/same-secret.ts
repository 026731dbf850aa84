import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether a secret someone sent equals the expected one, in time that depends neither on
 * how much of it matched nor on its length: both are hashed first, so what is compared is
 * always 32 bytes (a plain === would let an attacker guess it character by character, and
 * comparing lengths first would tell them its length).
 */
export function sameSecret(given: string | Buffer | undefined, expected: string | Buffer): boolean {
  if (given === undefined || given.length === 0) return false;
  return timingSafeEqual(sha256(given), sha256(expected));
}

function sha256(value: string | Buffer): Buffer {
  return createHash('sha256').update(value).digest();
}

/** A named token: a partner system's or a staff member's. */
export interface NamedToken {
  name: string;
  token: string;
}

/** Whose token an `Authorization: Bearer` header carries, or undefined. Every token is compared, so timing tells nothing of which matched. */
export function holderOf(header: string | undefined, tokens: readonly NamedToken[]): string | undefined {
  const given = bearerToken(header);
  let holder: string | undefined;
  for (const candidate of tokens) if (sameSecret(given, candidate.token) && holder === undefined) holder = candidate.name;
  return holder;
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}
