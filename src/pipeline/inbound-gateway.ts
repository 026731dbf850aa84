import { inboundSchema, type Inbound } from '../core/messages/inbound.ts';
import type { ConversationQueue } from '../redis/conversation-queue.ts';
import type { InboundLimits } from './inbound-limits.ts';

/**
 * A platform update Pelita cannot use (a field missing, out of bounds): it is dropped and
 * counted, and the platform is told it arrived, so that it does not send it again and hold
 * back what comes after it. The message names the fields, never their content.
 */
export class InvalidInbound extends Error {
  constructor(
    readonly channel: string,
    detail: string,
  ) {
    super(`invalid ${channel} update: ${detail}`);
    this.name = 'InvalidInbound';
  }
}

/**
 * The one door into the pipeline for every channel: validates, de-duplicates by the
 * platform's message id, and queues the message in its conversation's inbox.
 */
/**
 * The message could not be stored within the gateway's deadline (Redis unreachable or
 * stalled): the platform is told to send it again (503 with Retry-After) at once, rather
 * than left waiting. Should the store still complete later, the resent message is a
 * duplicate and is answered once.
 */
export class NotStored extends Error {
  constructor(reason: string) {
    super(`message not stored: ${reason}`);
    this.name = 'NotStored';
  }
}

/** How long a platform waits for "stored" before it is told to retry: webhooks time out, and people wait. */
export const ACCEPT_DEADLINE_MS = 1000;

export class InboundGateway {
  constructor(
    private readonly inbound: ConversationQueue<Inbound>,
    private readonly options: {
      onAccepted?: ((channel: string, duplicate: boolean) => void) | undefined;
      /** Told of each message dropped by the limits. */
      onLimited?: ((channel: string) => void) | undefined;
      limits?: InboundLimits | undefined;
      deadlineMs?: number | undefined;
    } = {},
  ) {}

  /**
   * Queues a message; an InvalidInbound for one that does not validate (nothing is queued),
   * a NotStored when it was not stored within the deadline. `dropped`: over the inbound
   * limits, so not queued; the platform is still told it arrived (it is not to be sent again).
   */
  async accept(message: Inbound): Promise<{ duplicate: boolean; dropped?: boolean }> {
    const parsed = inboundSchema.safeParse(message);
    if (!parsed.success)
      throw new InvalidInbound(String(message.channel), parsed.error.issues.map((issue) => issue.path.join('.') || 'message').join(', '));
    const valid = parsed.data;
    const deadlineMs = this.options.deadlineMs ?? ACCEPT_DEADLINE_MS;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new NotStored(`no answer from Redis within ${deadlineMs} ms`)), deadlineMs);
    });
    const stored = this.store(valid);
    // A store that fails after the deadline has nobody left to tell.
    stored.catch(() => undefined);
    const result = await Promise.race([stored, deadline]).finally(() => clearTimeout(timer));
    if (result.dropped) this.options.onLimited?.(valid.channel);
    else this.options.onAccepted?.(valid.channel, result.duplicate);
    return result;
  }

  private async store(message: Inbound): Promise<{ duplicate: boolean; dropped?: boolean }> {
    const { verdict, lane } = this.options.limits ? await this.options.limits.check(message) : ({ verdict: 'ok', lane: 'ready' } as const);
    if (verdict === 'dropped') return { duplicate: false, dropped: true };
    // The first message over a sender's limit is answered, once, with a request to slow down.
    const payload = verdict === 'notice' ? { ...message, limited: true } : message;
    return this.inbound.enqueue(message.conversationId, { id: message.messageId, payload }, { lane });
  }
}
