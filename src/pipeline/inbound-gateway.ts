import { inboundSchema, type Inbound } from '../messages/inbound.ts';
import type { ConversationQueue } from '../queue/conversation-queue.ts';

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
export class InboundGateway {
  constructor(
    private readonly inbound: ConversationQueue<Inbound>,
    private readonly onAccepted?: (channel: string, duplicate: boolean) => void,
  ) {}

  /** Queues a message; an InvalidInbound for one that does not validate (nothing is queued). */
  async accept(message: Inbound): Promise<{ duplicate: boolean }> {
    const parsed = inboundSchema.safeParse(message);
    if (!parsed.success) throw new InvalidInbound(String(message.channel), parsed.error.issues.map((issue) => issue.path.join('.') || 'message').join(', '));
    const valid = parsed.data;
    const result = await this.inbound.enqueue(valid.conversationId, { id: valid.messageId, payload: valid });
    this.onAccepted?.(valid.channel, result.duplicate);
    return result;
  }
}
