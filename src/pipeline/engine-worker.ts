import { AnswerRetriever } from '../nlu/answer-retriever.ts';
import type { Subscriptions } from '../alerts/subscriptions.ts';
import type { AnswerCounts } from './answer-counts.ts';
import type { EngineContext } from '../engine/engine-context.ts';
import { caseFromRequest, type CaseRequest } from '../cases/case-request.ts';
import type { Case } from '../cases/case.ts';
import type { Effect } from '../engine/effects.ts';
import { step } from '../engine/step.ts';
import { newSession, type Session } from '../engine/session.ts';
import { safeAnswer } from '../engine/safe-answer.ts';
import { describeSituation } from '../engine/situation.ts';
import type { Logger } from '../core/log/logger.ts';
import { inboundSchema, type Inbound } from '../core/messages/inbound.ts';
import { channelOf } from '../core/messages/channel.ts';
import { addressReplies, type OutboundBatch } from '../core/messages/reply.ts';
import type { Completion, DeadLetter, ItemHandler, QueuedItem } from '../redis/conversation-queue.ts';
import { sequence, type ScriptCall } from '../redis/lua-script.ts';
import type { PersonDataEraser } from './person-data-eraser.ts';
import type { SessionStore } from './session-store.ts';
import type { Nlu } from '../nlu/nlu.ts';
import { understand } from '../nlu/understand.ts';

/** What a case worker needs from the session: the person's situation, and screening answers. */
function caseFacts(session: Session): Pick<CaseRequest, 'country' | 'screening' | 'situation'> {
  const screening = Object.fromEntries(
    Object.entries(session.vars).filter(
      (entry): entry is [string, string | number | boolean] =>
        entry[0].startsWith('ws_') && ['string', 'number', 'boolean'].includes(typeof entry[1]),
    ),
  );
  const situation = describeSituation(session.situation);
  return {
    ...(situation.country ? { country: situation.country } : {}),
    ...(Object.keys(situation).length > 0 ? { situation } : {}),
    ...(Object.keys(screening).length > 0 ? { screening } : {}),
  };
}

/**
 * Hands a turn's replies to their channel: to its outbound queue (push platforms), or
 * straight into the reply log for channels whose clients fetch replies. Must be idempotent
 * for a batch (reply ids are stable).
 */
export type DeliverBatch = (batch: OutboundBatch) => Promise<void>;

/**
 * For channels whose replies are a Redis write (the reply log): that write, to be made in
 * the same atomic step as the rest of the turn. Undefined for channels that need
 * `DeliverBatch`.
 */
export type ReplyWrite = (batch: OutboundBatch) => Completion | undefined;

export interface OperatorRelay {
  /** The key that holds the conversation's active case id (read with the session). */
  activeCaseKey(conversationId: string): string;
  /** True when the message went to a case worker; `activeCaseId` as read (null: no case). */
  relay(conversationId: string, messageId: string, text: string | undefined, activeCaseId: string | null | undefined): Promise<boolean>;
}

export interface EngineHandler {
  handle: ItemHandler<Inbound>;
  /** The keys each message needs read: the session and the active-case pointer. */
  readAhead(conversationId: string): string[];
  /** The safe answer to a message set aside after failing too often. */
  onDeadLetter(letter: DeadLetter<unknown>): Promise<void>;
}

/**
 * The thin I/O shell around the pure engine: load the session, step, then store the turn.
 *
 * Most turns are stored in one atomic step with the message's removal from the inbox: the
 * session and, for pull channels, the replies (one round trip, and a crash leaves either
 * all of it or none). Replies for push channels are queued first, under
 * ids made from the inbound id: if the process dies before the turn is stored, the retried
 * message computes the same replies and effects from the same session, and the queues drop
 * them as duplicates. A case a turn opens is part of its atomic step.
 */
export function createEngineHandler(deps: {
  ctx: EngineContext;
  sessions: SessionStore;
  deliver: DeliverBatch;
  replyWrite?: ReplyWrite | undefined;
  /** Opening a case (or adding to the open one): a write carried by the turn's commit. */
  cases: { openCall(candidate: Case): ScriptCall };
  eraser: PersonDataEraser;
  /** Understanding free text; without it only exact keywords and menus work. */
  nlu?: Nlu | undefined;
  /** Counts answer cards shown and rated, for the content team. */
  answerCounts?: AnswerCounts | undefined;
  /** Told of every escalation requested (for /metrics). */
  onEscalation?: (reason: string) => void;
  /** While a case worker has the conversation, the person's messages go to them instead. */
  operatorRelay?: OperatorRelay | undefined;
  /** Alerts: subscriptions and STOPs go to the contact book, and a subscriber's record follows their situation. */
  subscriptions?: Subscriptions | undefined;
  log: Logger;
}): EngineHandler {
  const { operatorRelay } = deps;
  // The answer bank's index is built once per worker from the loaded cards.
  const answers = deps.nlu && deps.ctx.answers ? new AnswerRetriever(deps.ctx.answers) : undefined;
  const readAhead = (conversationId: string) => [
    deps.sessions.keyOf(conversationId),
    ...(operatorRelay ? [operatorRelay.activeCaseKey(conversationId)] : []),
    ...(deps.subscriptions ? [deps.subscriptions.keyOf(conversationId)] : []),
  ];
  /** The hotlines for where the person is, after a "sorry" or a "slow down", instead of a turn. */
  const deliverSafeAnswer = async (
    session: Session,
    replyTo: string,
    receivedAt: string | undefined,
    reason: 'dead_letter' | 'rate_limited',
  ) => {
    const { conversationId } = session;
    const reply = safeAnswer(
      session,
      deps.ctx,
      { conversationId, channel: channelOf(conversationId), receivedAt: new Date().toISOString() },
      reason,
    );
    await deps.deliver({
      ...addressReplies(conversationId, replyTo, [reply], receivedAt),
      ...(session.language ? { language: session.language } : {}),
    });
  };
  const handle = async (
    conversationId: string,
    item: QueuedItem<Inbound>,
    prefetched: ReadonlyMap<string, string | null>,
  ): Promise<Completion | undefined> => {
    const inbound = item.payload;
    const started = performance.now();
    // Usually both were read by the queue with the previous step; otherwise both reads
    // leave in one round trip (the connection pipelines what one tick sends).
    const [relayed, session] = await Promise.all([
      operatorRelay?.relay(conversationId, inbound.messageId, inbound.text, prefetched.get(operatorRelay.activeCaseKey(conversationId))) ??
        false,
      deps.sessions.load(conversationId, inbound.receivedAt, prefetched.get(deps.sessions.keyOf(conversationId))),
    ]);
    if (relayed) return;
    if (inbound.limited) {
      // Past the sender's limit: told once to slow down, with the numbers; nothing else runs.
      await deliverSafeAnswer(session, inbound.messageId, inbound.receivedAt, 'rate_limited');
      return;
    }
    await deps.subscriptions?.restore(session, inbound.receivedAt, prefetched.get(deps.subscriptions.keyOf(conversationId)));
    // Understanding happens here, not in the engine, which stays pure and synchronous.
    const understood = await understand(deps.nlu, inbound, session.language, deps.ctx.places, answers);
    const result = step(session, understood, deps.ctx);
    // Before the turn is stored: a retried turn writes the same again.
    await deps.subscriptions?.applyTurn(session, result.session, result.effects, inbound.receivedAt);
    if (result.contentError) deps.log.error({ err: result.contentError }, 'flow content error; sent the fallback reply');
    const batch = {
      ...addressReplies(conversationId, inbound.messageId, result.replies, inbound.receivedAt),
      ...(result.session.language ? { language: result.session.language } : {}),
      ...(result.urgent ? { urgent: true } : {}),
    };
    const erase = result.effects.some((effect) => effect.type === 'delete_data');
    // Erasing comes before the confirmation is queued, so the confirmation is not erased too.
    if (erase) await deps.eraser.erase(conversationId);
    const escalation = result.effects.find((effect): effect is Extract<Effect, { type: 'escalate' }> => effect.type === 'escalate');
    // In an emergency the reply (hotlines) is stored first, on its own: the case is one
    // more write that could be slow or fail, and must not hold it up.
    const replies = escalation ? undefined : deps.replyWrite?.(batch);
    if (!replies) await deps.deliver(batch);
    // The case is opened in the turn's own commit: it exists exactly when the turn is
    // stored, so "delete my data" (a later turn) always finds it to anonymise.
    const openCase = escalation
      ? deps.cases.openCall(
          caseFromRequest({
            conversationId,
            messageId: inbound.messageId,
            reason: escalation.reason,
            language: result.session.language,
            requestedAt: inbound.receivedAt,
            ...caseFacts(result.session),
          }),
        )
      : undefined;
    if (escalation) deps.onEscalation?.(escalation.reason);
    // A statistic must never hold up or fail a person's turn.
    await deps.answerCounts?.record(result.effects).catch((err: unknown) => deps.log.warn({ err }, 'answer counts not recorded'));
    deps.log.debug(
      { channel: inbound.channel, replyCount: batch.replies.length, ms: Math.round(performance.now() - started) },
      'message handled',
    );
    return {
      // After "delete my data" nothing is saved: the next message starts a new conversation.
      write: sequence(replies?.write, openCase, erase ? undefined : deps.sessions.saveCall(result.session)),
      onAcknowledged: replies?.onAcknowledged,
    };
  };
  /**
   * A message the engine failed on too often was set aside: the person still hears from
   * Pelita, with the numbers for where they are, and their next message is handled as
   * usual. A session that cannot be read back is not needed for this.
   */
  const onDeadLetter = async (letter: DeadLetter<unknown>): Promise<void> => {
    // The item may be the very thing that did not read back: only the conversation is sure.
    const inbound = inboundSchema.safeParse(letter.item.payload);
    const now = new Date().toISOString();
    const session = await deps.sessions.load(letter.conversationId, now).catch(() => newSession(letter.conversationId, now));
    await deliverSafeAnswer(session, `${letter.item.id}:safe`, inbound.success ? inbound.data.receivedAt : undefined, 'dead_letter');
  };
  return { handle, readAhead, onDeadLetter };
}
