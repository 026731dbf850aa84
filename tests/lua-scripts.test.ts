import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../src/cases/case-store.ts';
import { ackHead, RELEASE_IF_EMPTY } from '../src/redis/conversation-queue-scripts.ts';
import { RELEASE } from '../src/redis/lock-release.ts';
import { LuaScript, readLuaFile, runCall, sequence, type ScriptCall } from '../src/redis/lua-script.ts';
import { RedisKeys } from '../src/redis/redis-keys.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

let redis: TestRedis;
let connection: Redis;
let keyNumber = 0;

beforeAll(async () => {
  redis = await startTestRedis();
  connection = new Redis(redis.url, { maxRetriesPerRequest: 2 });
});

afterAll(async () => {
  await connection?.quit();
  await redis?.stop();
});

/** A key no other test uses; all of them share one {hashtag}, as one conversation's keys do. */
function freshKey(name: string): string {
  keyNumber += 1;
  return `${redis.prefix}:${name}-${keyNumber}:{lua}`;
}

/** What a part was handed, as a recorder wrote it down. */
interface Seen {
  keys: string[];
  args: string[];
}

// cjson writes an empty Lua table as {}, not [].
const stringList = z.union([z.array(z.string()), z.strictObject({}).transform((): string[] => [])]);
const seenSchema = z.object({ keys: stringList, args: stringList });

/**
 * A script that appends the KEYS and ARGV it was handed to `log` (named in its source, so a
 * part with no keys can record too), sets each of its keys to `written <n>`, and returns
 * how many of each it had.
 */
function recorder(log: string): LuaScript {
  return new LuaScript(`redis.call('RPUSH', '${log}', cjson.encode({keys = KEYS, args = ARGV}))
for i = 1, #KEYS do redis.call('SET', KEYS[i], 'written ' .. i) end
return #KEYS .. '/' .. #ARGV`);
}

async function recorded(log: string): Promise<Seen[]> {
  return (await connection.lrange(log, 0, -1)).map((entry) => seenSchema.parse(JSON.parse(entry)));
}

/** A part's keys and arguments, each unlike every other part's. */
function shaped(part: number, keyCount: number, argCount: number): Seen {
  return {
    keys: Array.from({ length: keyCount }, (_, i) => freshKey(`part${part}-key${i}`)),
    args: Array.from({ length: argCount }, (_, i) => `part ${part} arg ${i}`),
  };
}

const shapes = fc.array(fc.record({ keyCount: fc.nat(3), argCount: fc.nat(3) }), { minLength: 1, maxLength: 5 });

describe('sequence', () => {
  it('hands each part exactly its own keys and arguments, with parts that have no keys or no arguments', async () => {
    const log = freshKey('log');
    const record = recorder(log);
    const parts = [shaped(1, 2, 1), shaped(2, 0, 2), shaped(3, 1, 0), shaped(4, 0, 0), shaped(5, 3, 3)];
    const call = sequence(...parts.map((part): ScriptCall => ({ script: record, ...part })))!;
    // The result is the last part's.
    expect(await runCall(connection, call)).toBe('3/3');
    expect(await recorded(log)).toEqual(parts);
  });

  it('hands each part exactly its own keys and arguments, whatever their numbers', async () => {
    await fc.assert(
      fc.asyncProperty(shapes, async (partShapes) => {
        const log = freshKey('log');
        const record = recorder(log);
        const parts = partShapes.map(({ keyCount, argCount }, i) => shaped(i, keyCount, argCount));
        await runCall(connection, sequence(...parts.map((part): ScriptCall => ({ script: record, ...part })))!);
        expect(await recorded(log)).toEqual(parts);
      }),
      { numRuns: 40 },
    );
  });
});

/** A conversation's inbox with two items and its lock held by `token`. */
async function heldInbox(): Promise<{ items: string; lock: string; token: string }> {
  const items = freshKey('items');
  const lock = freshKey('lock');
  await connection.rpush(items, 'first', 'second');
  await connection.set(lock, 'token', 'PX', 5000);
  return { items, lock, token: 'token' };
}

/** Acknowledges the head item `first` with `write`, asking for `reads` for the next item. */
async function acknowledge(write: ScriptCall, reads: string[]): Promise<unknown> {
  const { items, lock, token } = await heldInbox();
  return ackHead(write.script).run(connection, [items, lock, ...write.keys, ...reads], ['first', token, 5000, reads.length, ...write.args]);
}

describe('ackHead', () => {
  it("gives the write exactly its keys and arguments, and reads the next item's keys as the write left them", async () => {
    const log = freshKey('log');
    const write = { script: recorder(log), ...shaped(1, 2, 3) };
    const untouched = freshKey('untouched');
    await connection.set(untouched, 'before');
    const missing = freshKey('missing');
    const result = await acknowledge(write, [write.keys[1]!, untouched, missing, write.keys[0]!]);
    expect(result).toEqual([1, 'second', 'written 2', 'before', null, 'written 1']);
    expect(await recorded(log)).toEqual([{ keys: write.keys, args: write.args }]);
  });

  it('gives a write with no keys, no arguments or both exactly nothing of the acknowledgement', async () => {
    for (const [keyCount, argCount] of [
      [0, 2],
      [2, 0],
      [0, 0],
    ] as const) {
      const log = freshKey('log');
      const write = { script: recorder(log), ...shaped(1, keyCount, argCount) };
      const read = freshKey('read');
      await connection.set(read, 'value');
      expect(await acknowledge(write, [read])).toEqual([1, 'second', 'value']);
      expect(await recorded(log)).toEqual([{ keys: write.keys, args: write.args }]);
    }
  });

  it('gives the write exactly its keys and arguments, whatever their numbers and however many keys are read', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(3), fc.nat(3), fc.nat(3), async (keyCount, argCount, readCount) => {
        const log = freshKey('log');
        const write = { script: recorder(log), ...shaped(1, keyCount, argCount) };
        const reads = Array.from({ length: readCount }, () => freshKey('read'));
        for (const [i, key] of reads.entries()) await connection.set(key, `read ${i}`);
        expect(await acknowledge(write, reads)).toEqual([1, 'second', ...reads.map((_, i) => `read ${i}`)]);
        expect(await recorded(log)).toEqual([{ keys: write.keys, args: write.args }]);
      }),
      { numRuns: 40 },
    );
  });

  it("gives each part of a sequence it carries (a turn's commit) exactly its own keys and arguments", async () => {
    await fc.assert(
      fc.asyncProperty(shapes, fc.nat(2), async (partShapes, readCount) => {
        const log = freshKey('log');
        const record = recorder(log);
        const parts = partShapes.map(({ keyCount, argCount }, i) => shaped(i, keyCount, argCount));
        const write = sequence(...parts.map((part): ScriptCall => ({ script: record, ...part })))!;
        const reads = Array.from({ length: readCount }, () => freshKey('read'));
        for (const key of reads) await connection.set(key, 'read');
        expect(await acknowledge(write, reads)).toEqual([1, 'second', ...reads.map(() => 'read')]);
        expect(await recorded(log)).toEqual(parts);
      }),
      { numRuns: 30 },
    );
  });

  it('runs no write and removes nothing for a drainer that lost the lock', async () => {
    const log = freshKey('log');
    const { items, lock } = await heldInbox();
    const write = { script: recorder(log), ...shaped(1, 1, 1) };
    const result = await ackHead(write.script).run(
      connection,
      [items, lock, ...write.keys],
      ['first', 'stale token', 5000, 0, ...write.args],
    );
    expect(result).toEqual([-1]);
    expect(await recorded(log)).toEqual([]);
    expect(await connection.lrange(items, 0, -1)).toEqual(['first', 'second']);
  });
});

describe('the shared release', () => {
  it("deletes a lock for its holder only, alone or inside the queue's release-if-empty", async () => {
    const lock = freshKey('lock');
    await connection.set(lock, 'mine');
    expect(await RELEASE.run(connection, [lock], ['theirs'])).toBe(0);
    expect(await RELEASE.run(connection, [lock], ['mine'])).toBe(1);
    expect(await connection.exists(lock)).toBe(0);

    const items = freshKey('items');
    await connection.set(lock, 'mine');
    await connection.rpush(items, 'waiting');
    expect(await RELEASE_IF_EMPTY.run(connection, [items, lock], ['mine'])).toBe(0);
    await connection.del(items);
    expect(await RELEASE_IF_EMPTY.run(connection, [items, lock], ['theirs'])).toBe(1);
    expect(await connection.get(lock)).toBe('mine');
    expect(await RELEASE_IF_EMPTY.run(connection, [items, lock], ['mine'])).toBe(1);
    expect(await connection.exists(lock)).toBe(0);
  });

  it("lets a resolved case go as its conversation's active one, and keeps its audit trail a year", async () => {
    const keys = new RedisKeys(redis.prefix);
    const store = new CaseStore(connection, keys);
    const conversationId = 'http:lua-release';
    const { case: opened } = await store.open({
      id: 'C0000091',
      conversationId,
      channel: 'http',
      reason: 'emergency',
      status: 'open',
      overdue: false,
      openedAt: '2026-12-01T10:00:00.000Z',
    });
    await connection.expire(keys.caseAudit(opened.id), 60);
    await store.update(opened.id, (current) => ({ ...current, status: 'resolved' }), { event: 'resolved', by: 'op' });
    expect(await connection.exists(keys.activeCase(conversationId))).toBe(0);
    expect(await connection.ttl(keys.caseAudit(opened.id))).toBeGreaterThan(364 * 24 * 3600);
    expect((await store.auditTrail(opened.id)).map((entry) => entry.event)).toEqual(['opened', 'resolved']);
  });
});

describe('script files', () => {
  const source = new URL('../src/', import.meta.url);
  const files = readdirSync(source, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.lua'));

  it('compile, on their own and as the function bodies composition makes of them', async () => {
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const lua = readLuaFile(new URL(file, source));
      // SCRIPT LOAD compiles without running: a fixed part naming a function the code puts before it compiles too.
      await expect(connection.script('LOAD', lua), file).resolves.toMatch(/^[0-9a-f]{40}$/);
      await expect(connection.script('LOAD', `local part = ${new LuaScript(lua).asFunction()}\nreturn 1`), file).resolves.toMatch(
        /^[0-9a-f]{40}$/,
      );
    }
  });

  it('name the file that is missing', () => {
    const missing = new URL('../src/redis/lua/no-such-script.lua', import.meta.url);
    expect(() => LuaScript.fromFile(missing)).toThrow(fileURLToPath(missing));
  });
});
