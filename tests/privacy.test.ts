import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PelitaRuntime } from '../src/app/pelita-runtime.ts';
import { ConsoleChannel } from '../src/channels/console/console-channel.ts';
import type { LoggedReply } from '../src/pipeline/reply-log/reply-log.ts';
import { startTestPelita } from './harness/test-pelita.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

let redis: TestRedis;
let runtime: PelitaRuntime;
let inspect: Redis;

beforeAll(async () => {
  redis = await startTestRedis();
  ({ runtime } = await startTestPelita(redis));
  inspect = new Redis(redis.url);
});

afterAll(async () => {
  await inspect?.quit();
  await runtime?.stop();
  await redis?.stop();
});

async function say(channel: ConsoleChannel, text: string): Promise<string> {
  const replies: LoggedReply[] = [];
  await channel.send(text, (reply) => replies.push(reply));
  return replies.map((reply) => reply.text).join('\n');
}

/** Every key in Redis that names this conversation (outside BullMQ's own). */
async function keysAbout(conversationId: string): Promise<string[]> {
  const keys = await inspect.keys(`${redis.prefix}:*`);
  return keys.filter((key) => key.includes(conversationId) && !key.includes(':q:'));
}

describe('delete my data, through the pipeline', () => {
  it('removes the session and the reply history, anonymises the request for a human, and starts over', async () => {
    const channel = new ConsoleChannel(runtime.gateway, runtime.replyLog, 'privacy-user');
    await channel.open();
    await say(channel, 'halo');
    await say(channel, '1');
    // Where the person is: remembered, and carried to the request for a human and the case.
    await say(channel, 'saya kerja di malaysia jadi PRT');
    expect(await say(channel, 'petugas')).toContain('+60 17-668 8032');
    // The case is stored with the turn, a moment after its reply.
    const opened = await vi.waitFor(
      async () => {
        const found = await runtime.cases.store.activeFor(channel.conversationId);
        if (!found) throw new Error('no case yet');
        return found;
      },
      { timeout: 5000, interval: 20 },
    );
    expect(opened.reason).toBe('talk_to_person');
    expect(opened.situation).toMatchObject({ country: 'MY', sector: 'domestic' });
    expect(await keysAbout(channel.conversationId)).toContain(`${redis.prefix}:session:{${channel.conversationId}}`);
    const caseId = opened.id;

    expect(await say(channel, 'hapus data saya')).toMatch(/Hapus semua data Anda/);
    expect(await say(channel, 'ya')).toMatch(/Data Anda sudah dihapus/);

    expect(await inspect.exists(`${redis.prefix}:session:{${channel.conversationId}}`)).toBe(0);
    const left = await keysAbout(channel.conversationId);
    // Only the reply log of the confirmation itself, written after the erasure.
    const history = await runtime.replyLog.read(channel.conversationId, '0');
    expect(history.filter((entry) => entry.type === 'reply').map((entry) => (entry.type === 'reply' ? entry.reply.text : ''))).toEqual([
      expect.stringMatching(/Data Anda sudah dihapus/),
    ]);
    expect(left.every((key) => key.includes(':replies:'))).toBe(true);
    expect(await runtime.cases.store.forConversation(channel.conversationId)).toEqual([]);
    // The case stays for the case workers, but no longer says whose it was, nor where they were.
    const kept = await runtime.cases.store.get(caseId!);
    expect(kept?.conversationId).toMatch(/^deleted:/);
    expect(kept?.situation).toBeUndefined();
    expect(kept?.country).toBeUndefined();
    expect(await runtime.cases.store.activeFor(channel.conversationId)).toBeUndefined();
    // Nothing else about the case names them: the opened case is the only one, and its audit
    // trail says what happened, never who.
    const everyCase = await runtime.cases.store.list();
    expect(everyCase.filter((found) => found.conversationId === kept!.conversationId)).toHaveLength(1);
    expect(JSON.stringify(await runtime.cases.store.auditTrail(caseId))).not.toContain(channel.conversationId);

    // A new message is a new conversation: the language question again.
    expect(await say(channel, 'halo')).toMatch(/Pilih bahasa/);
  });
});
