import { randomBytes } from 'node:crypto';
import { conversationIdOf } from '../../core/messages/channel.ts';
import type { InboundGateway } from '../../pipeline/inbound-gateway.ts';
import type { LoggedReply, ReplyLog } from '../../pipeline/reply-log/reply-log.ts';

export class ReplyTimeoutError extends Error {
  constructor(seconds: number) {
    super(`no complete answer within ${seconds} s: is a Pelita worker running against the same Redis?`);
    this.name = 'ReplyTimeoutError';
  }
}

/**
 * The terminal as a channel. A typed line goes through the gateway and the queues like
 * any platform message; the answer comes back through the console's outbound queue and
 * the reply log. `send` resolves when the whole turn has arrived.
 */
export class ConsoleChannel {
  readonly conversationId: string;
  private readonly runId = randomBytes(4).toString('hex');
  private lineNumber = 0;
  private cursor = '0';

  constructor(
    private readonly gateway: InboundGateway,
    private readonly replyLog: ReplyLog,
    userId: string,
    private readonly languageHint?: string,
    private readonly timeoutMs = 30_000,
  ) {
    this.conversationId = conversationIdOf('console', userId);
  }

  /** Starts reading replies from now on, so earlier runs' replies are not shown again. */
  async open(): Promise<void> {
    this.cursor = await this.replyLog.latestCursor(this.conversationId);
  }

  /** Sends a line (or, from tests and scripts, a shared location) and waits for the whole answer. */
  async send(message: string | { location: { lat: number; lon: number } }, onReply: (reply: LoggedReply) => void): Promise<void> {
    this.lineNumber += 1;
    const messageId = `${this.runId}-${this.lineNumber}`;
    await this.gateway.accept({
      channel: 'console',
      conversationId: this.conversationId,
      messageId,
      ...(typeof message === 'string' ? { text: message } : { location: message.location }),
      languageHint: this.languageHint,
      receivedAt: new Date().toISOString(),
    });
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new ReplyTimeoutError(this.timeoutMs / 1000);
      const entries = await this.replyLog.wait(this.conversationId, this.cursor, remaining);
      for (const entry of entries) {
        this.cursor = entry.cursor;
        if (entry.type === 'reply') onReply(entry.reply);
        else if (entry.inReplyTo === messageId) return;
      }
    }
  }
}
