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

  /** How often the handler failed on one item (a counter that expires). */
  queueFailures(queue: string, conversationId: string, itemId: string): string {
    return `${this.prefix}:q:${queue}:{${conversationId}}:failures:${itemId}`;
  }

  /** Items of one conversation that failed too often and were set aside (JSON records). */
  queueDead(queue: string, conversationId: string): string {
    return `${this.prefix}:q:${queue}:{${conversationId}}:dead`;
  }

  /** Conversations with items set aside, for `pelita deadletters list`. */
  queueDeadIndex(queue: string): string {
    return `${this.prefix}:q:{${queue}}:dead-index`;
  }

  /** Conversations whose inbox may hold items: what the sweeper checks for a lost wake-up. */
  queueActive(queue: string): string {
    return `${this.prefix}:q:${queue}:active`;
  }

  /** Conversations whose inbox went from empty to not empty: what drainers take work from. */
  queueReady(queue: string): string {
    return `${this.prefix}:q:{${queue}}:ready`;
  }

  /**
   * Conversations with an urgent item (an emergency reply): drainers take from this list
   * before the ready list. Both lists share a {hashtag}, so one blocking pop can watch both,
   * also on Redis Cluster.
   */
  queueUrgent(queue: string): string {
    return `${this.prefix}:q:{${queue}}:urgent`;
  }

  /**
   * Conversations whose first message came from a sender Pelita does not know yet: taken
   * after the ready list, so a burst of strangers (a spammer's numbers) waits behind the
   * people already talking. Same {hashtag} as the other two lists.
   */
  queueLater(queue: string): string {
    return `${this.prefix}:q:{${queue}}:later`;
  }

  /** Marks a reply as delivered to a push platform, so a retried batch skips it. */
  delivered(channel: string, conversationId: string, replyId: string): string {
    return `${this.prefix}:sent:${channel}:{${conversationId}}:${replyId}`;
  }

  /** Which gateway process polls Telegram (only one may), and where polling got to. */
  telegramPoller(): string {
    return `${this.prefix}:telegram:poller`;
  }

  telegramOffset(): string {
    return `${this.prefix}:telegram:offset`;
  }

  /** How often each answer card was shown and rated (counters, nobody's data). */
  answerCounts(): string {
    return `${this.prefix}:answer-counts`;
  }

  /** One case (JSON), its audit trail (a stream), and the indexes to find cases. */
  case(id: string): string {
    return `${this.prefix}:case:${id}`;
  }

  caseAudit(id: string): string {
    return `${this.prefix}:case:${id}:audit`;
  }

  /** Every case by opening time (a sorted set). */
  casesByTime(): string {
    return `${this.prefix}:cases`;
  }

  /**
   * Ids of cases just opened, waiting for their notice to the case workers to be scheduled
   * (written in the same atomic step as the case), and those being scheduled now.
   */
  casesOpened(): string {
    return `${this.prefix}:cases:opened`;
  }

  casesOpening(): string {
    return `${this.prefix}:cases:opening`;
  }

  /** The open or claimed case of a conversation, if any. */
  activeCase(conversationId: string): string {
    return `${this.prefix}:case-of:{${conversationId}}`;
  }

  /** Every case of a conversation (a set), so "delete my data" finds them without a scan. */
  casesOf(conversationId: string): string {
    return `${this.prefix}:cases-of:{${conversationId}}`;
  }

  /** Which case an operators' chat message belongs to (its thread). */
  caseThread(messageId: number): string {
    return `${this.prefix}:case-thread:${messageId}`;
  }

  /** How many messages a sender sent this minute (the inbound limits). */
  senderCount(conversationId: string): string {
    return `${this.prefix}:limit:{${conversationId}}:count`;
  }

  /** The pace of new conversations, all channels together (a token bucket). */
  newConversationPace(): string {
    return `${this.prefix}:limit:new-conversations`;
  }

  /** Conversations deleted, by when the traces of answering the deletion go too (a sorted set). */
  erasuresDue(): string {
    return `${this.prefix}:erasures-due`;
  }

  /** The secret that keys deleted conversations' pseudonyms (made once, at random). */
  pseudonymSecret(): string {
    return `${this.prefix}:secret:pseudonym`;
  }

  /** A hash of the token a browser-facing HTTP client holds for its conversation. */
  httpToken(conversationId: string): string {
    return `${this.prefix}:http-token:{${conversationId}}`;
  }

  /** Which process runs the whatsapp-web.js client: one per number. */
  whatsappWebClient(): string {
    return `${this.prefix}:whatsapp-web:client`;
  }

  /** When a WhatsApp contact last wrote (the Cloud API's 24-hour customer-service window). */
  whatsappLastInbound(conversationId: string): string {
    return `${this.prefix}:wa-last-in:{${conversationId}}`;
  }

  /** Delivery statuses (sent, delivered, read, failed) of the Cloud API messages to a contact. */
  whatsappStatuses(conversationId: string): string {
    return `${this.prefix}:wa-status:{${conversationId}}`;
  }

  /** The person blocked the bot (Telegram 403): nothing more is sent to them. */
  unreachable(conversationId: string): string {
    return `${this.prefix}:unreachable:{${conversationId}}`;
  }

  /**
   * Set for a moment, again and again, while a reply waits for a slot on a channel: a
   * broadcast then holds back (it expires by itself, so a crashed sender leaves nothing).
   */
  repliesWaitingForSlot(channel: string): string {
    return `${this.prefix}:pace:{${channel}}:replies-waiting`;
  }

  /** A token bucket of outbound pacing for one conversation on a channel. */
  pace(channel: string, scope: string): string {
    return `${this.prefix}:pace:${channel}:${scope}`;
  }

  /**
   * What a whole channel shares: `all` (the bucket every sender books), `sent` (the log of
   * the last second's sends), `broadcasts` (the broadcasts' own bucket), `broadcast-slots`
   * (a counter naming their entries in the log). One {hashtag} per channel, as one script
   * books several of them at once.
   */
  channelPace(channel: string, scope: 'all' | 'sent' | 'broadcasts' | 'broadcast-slots'): string {
    return `${this.prefix}:pace:{${channel}}:${scope}`;
  }

  /**
   * The alerts' contact book: records, the number each conversation has there, and the
   * segments that index them. All under one {hashtag}, so its scripts stay valid on Redis
   * Cluster (see alerts/lua/write-contact.lua); `alertsBase` is the prefix of the records and segments.
   */
  alertsBase(): string {
    return `${this.prefix}:{alerts}:`;
  }

  /**
   * That the conversation gets alerts, and on what: a copy kept under the conversation's own
   * {hashtag}, so a turn reads it with the session in one round trip (and "delete my data"
   * finds it with the rest).
   */
  alertsOf(conversationId: string): string {
    return `${this.prefix}:alerts-of:{${conversationId}}`;
  }

  alertContactNumbers(): string {
    return `${this.prefix}:{alerts}:numbers`;
  }

  alertLastContactNumber(): string {
    return `${this.prefix}:{alerts}:last-number`;
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

  /** Pub/sub channel announcing "conversation X has new replies" to long-polling gateways. */
  get replyNotifications(): string {
    return `${this.prefix}:replies:notify`;
  }
}
