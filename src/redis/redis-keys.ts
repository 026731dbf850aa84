/**
 * All of Pelita's own Redis keys are built here, so that "delete my data" and the docs
 * have one list to read. Keys about one conversation carry it as a {hashtag}: every
 * multi-key script touches one conversation, which keeps them valid on Redis Cluster.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** BullMQ's own prefix: its keys live under it. */
  get bullPrefix(): string {
    return `${this.prefix}:bull`;
  }

  session(conversationId: string): string {
    return `${this.prefix}:session:{${conversationId}}`;
  }

  queueItems(queue: string, conversationId: string): string {
    return `${this.prefix}:q:${queue}:{${conversationId}}:items`;
  }

  queueSeen(queue: string, conversationId: string, itemId: string): string {
    return `${this.prefix}:q:${queue}:{${conversationId}}:seen:${itemId}`;
  }

  queueLock(queue: string, conversationId: string): string {
    return `${this.prefix}:q:${queue}:{${conversationId}}:lock`;
  }

  replyLog(conversationId: string): string {
    return `${this.prefix}:replies:{${conversationId}}`;
  }

  replyLogDelivered(conversationId: string, inReplyTo: string): string {
    return `${this.prefix}:replies:{${conversationId}}:delivered:${inReplyTo}`;
  }

  /** The reply log and its delivery markers, for SCAN (braces in ids are escaped). */
  replyLogPattern(conversationId: string): string {
    return `${this.prefix}:replies:{${conversationId.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}}*`;
  }

  /** Pub/sub channel announcing "conversation X has new replies" to long-polling gateways. */
  get replyNotifications(): string {
    return `${this.prefix}:replies:notify`;
  }
}
