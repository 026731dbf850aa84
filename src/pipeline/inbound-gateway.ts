import { inboundSchema, type Inbound } from '../messages/inbound.ts';
import type { ConversationQueue } from '../queue/conversation-queue.ts';

/**
 * The one door into the pipeline for every channel: validates, de-duplicates by the
 * platform's message id, and queues the message in its conversation's inbox.
 */
export class InboundGateway {
  constructor(
    private readonly inbound: ConversationQueue<Inbound>,
    private readonly onAccepted?: (channel: string, duplicate: boolean) => void,
  ) {}

  async accept(message: Inbound): Promise<{ duplicate: boolean }> {
    const valid = inboundSchema.parse(message);
    const result = await this.inbound.enqueue(valid.conversationId, { id: valid.messageId, payload: valid });
    this.onAccepted?.(valid.channel, result.duplicate);
    return result;
  }
}
