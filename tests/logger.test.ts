import { describe, expect, it } from 'vitest';
import { memoryLogger } from './harness/test-pelita.ts';

describe('logging', () => {
  it('leaves out what people wrote and who they are by default', () => {
    const { log, lines } = memoryLogger(false);
    log.info({ conversationId: 'whatsapp-cloud:6281234567890', text: 'majikan ambil paspor saya', inbound: { from: '6281234567890' } }, 'received');
    const line = lines.join('\n');
    expect(line).not.toContain('6281234567890');
    expect(line).not.toContain('paspor');
    expect(JSON.parse(lines[0]!)).toMatchObject({ conversationId: '[redacted]', text: '[redacted]', msg: 'received' });
  });

  it('logs them when LOG_MESSAGES asks for it', () => {
    const { log, lines } = memoryLogger(true);
    log.info({ text: 'halo' }, 'received');
    expect(JSON.parse(lines[0]!)).toMatchObject({ text: 'halo' });
  });
});
