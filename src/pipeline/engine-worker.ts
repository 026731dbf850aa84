import type { EngineContext } from '../engine/engine-context.ts';
import { step } from '../engine/step.ts';
import type { Logger } from '../log/logger.ts';
import type { Inbound } from '../messages/inbound.ts';
import { addressReplies, type OutboundBatch } from '../messages/reply.ts';
import type { ConversationQueue, QueuedItem } from '../queue/conversation-queue.ts';
import type { SessionStore } from '../session/session-store.ts';

export type OutboundQueueFor = (conversationId: string) => ConversationQueue<OutboundBatch>;

/**
 * The thin I/O shell around the pure engine: load the session, step, queue the replies,
 * save the session. Replies are queued before the session is saved, under an id made from
 * the inbound id: if the process dies in between, the retried message computes the same
 * replies from the same session and the outbound queue drops them as a duplicate.
 */
export function createEngineHandler(deps: {
  ctx: EngineContext;
  sessions: SessionStore;
  outboundFor: OutboundQueueFor;
  log: Logger;
}) {
  return async (conversationId: string, item: QueuedItem<Inbound>): Promise<void> => {
    const inbound = item.payload;
    const started = performance.now();
    const session = await deps.sessions.load(conversationId, inbound.receivedAt);
    const result = step(session, inbound, deps.ctx);
    if (result.contentError) deps.log.error({ err: result.contentError }, 'flow content error; sent the fallback reply');
    const batch = addressReplies(conversationId, inbound.messageId, result.replies);
    await deps.outboundFor(conversationId).enqueue(conversationId, { id: inbound.messageId, payload: batch });
    await deps.sessions.save(result.session);
    deps.log.debug(
      { channel: inbound.channel, replyCount: batch.replies.length, ms: Math.round(performance.now() - started) },
      'message handled',
    );
  };
}
