import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/core/log/logger.ts';
import { redisShownAs } from '../src/app/pelita-runtime.ts';
import { memoryLogger } from './harness/test-pelita.ts';

describe('logging', () => {
  it('leaves out what people wrote and who they are by default', () => {
    const { log, lines } = memoryLogger(false);
    log.info(
      { conversationId: 'whatsapp-cloud:6281234567890', text: 'majikan ambil paspor saya', inbound: { from: '6281234567890' } },
      'received',
    );
    const line = lines.join('\n');
    expect(line).not.toContain('6281234567890');
    expect(line).not.toContain('paspor');
    expect(JSON.parse(lines[0]!)).toMatchObject({ conversationId: '[redacted]', text: '[redacted]', msg: 'received' });
  });

  it("logs an error with its stack, through pino's serializer", () => {
    const { log, lines } = memoryLogger(false);
    log.error({ err: new Error('the drain failed') }, 'drain failed; will retry');
    const logged = JSON.parse(lines[0]!) as { err: { type: string; message: string; stack: string } };
    expect(logged.err).toMatchObject({ type: 'Error', message: 'the drain failed' });
    expect(logged.err.stack).toMatch(/at .*logger\.test\.ts/);
  });

  it('writes readable lines to a terminal, still without what people wrote', async () => {
    let written = '';
    const terminal = Object.assign(
      new Writable({
        write: (chunk: Buffer, _encoding, done) => {
          written += chunk.toString();
          done();
        },
      }),
      { isTTY: true },
    );
    const log = createLogger({ level: 'info', logMessages: false, destination: terminal });
    log.warn({ conversationId: 'telegram:777', caseId: 'C1' }, 'case opened');
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toMatch(/WARN.*case opened/);
    expect(written).toMatch(/caseId.*C1/);
    expect(written).not.toContain('telegram:777');
    expect(() => JSON.parse(written)).toThrow();
  });

  it('logs them when LOG_MESSAGES asks for it', () => {
    const { log, lines } = memoryLogger(true);
    log.info({ text: 'halo' }, 'received');
    expect(JSON.parse(lines[0]!)).toMatchObject({ text: 'halo' });
  });

  it('names the Redis in use at start without its password', () => {
    expect(redisShownAs('redis://:s3cret@redis.internal:6380/2')).toBe('redis://redis.internal:6380/2');
    expect(redisShownAs('rediss://user:pw@cache.example.org')).toBe('rediss://cache.example.org');
    expect(redisShownAs('not a url')).toBe('an unreadable REDIS_URL');
  });
});
