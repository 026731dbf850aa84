import { rememberEntities } from './remember-entities.ts';
import { normalizeAnswer } from '../core/text/normalize.ts';
import { INTENT_CONFIDENCE_FLOOR } from '../nlu/nlu-result.ts';
import { isQuestion, type QuestionNode } from '../flows/flow-schema.ts';
import type { Position } from '../flows/flow-set.ts';
import type { Inbound } from '../core/messages/inbound.ts';
import { flowOfButton, type Reply } from '../core/messages/reply.ts';
import type { Effect } from './effects.ts';
import type { EngineContext } from './engine-context.ts';
import { CHATTER_CONFIDENCE, ENGINE_CONTACTS, INVALID_KEYS, NOT_UNDERSTOOD } from './engine-keys.ts';
import { chooseFrom, parseAnswer } from './inputs/parse-answer.ts';
import { runNode } from './nodes/run-node.ts';
import { choicesOf, renderChoices, renderText, textVariables } from './render-reply.ts';
import type { Session } from './session.ts';
import { adoptLegacyPlace, whereabouts } from './situation.ts';
import { setVariables } from './set-variables.ts';
import { findTrigger } from './triggers.ts';
import { ANSWER_POLICY, ANSWERS_FLOW, asks, bankDecision, pickAfterAnswer, showCard, suggestCards } from './answer-cards.ts';
import { languageOf, type Turn } from './turn.ts';

export interface StepResult {
  session: Session;
  replies: Reply[];
  effects: Effect[];
  /** The nodes run, as `flow:node`. */
  trail: string[];
  /** Set when the content itself is at fault; the person got a friendly reply all the same. */
  contentError?: string;
  /** Danger set this turn off: its replies go out before ordinary ones. */
  urgent?: boolean;
}

const DEFAULT_MAX_STEPS = 50;
/**
 * A question asked with the danger ("... can I change employer?", "boleh gk sy pindah
 * majikan"): a question mark or a question's own words, not any "boleh" ("gk boleh keluar").
 */
const ASKS_BESIDES_DANGER =
  /\b((boleh|bisa|bs)\s+(gk|gak|ga|nggak|ngga|tidak|tdk|nggak)|apa(kah)?\s+((sy|saya|aku)\s+)?(boleh|bisa)|(gimana|gmn|bagaimana|gmana)\s+cara\w*|how\s+(can|do|to)|can\s+i|should\s+i|what\s+(can|should)|where\s+(can|do|to))\b/;
/** Topics the emergency's own numbers and hand-over already answer. */
const ANSWERED_BY_THE_NUMBERS = new Set(['hotlines', 'talk_to_person', 'menu', 'thanks', 'stop', 'goodbye']);
/** Re-asks of a question (a district, a yes/no) before the way out is offered instead. */
const MAX_ASK_RETRIES = 2;
/** How sure the detected language must be to answer a first message in it. */
const LANGUAGE_CONFIDENCE = 0.95;

/**
 * The conversation engine: (session, message) -> (new session, replies, effects). Pure
 * and deterministic: no I/O, no clock (time comes in on the message), so it is tested
 * without Redis and a retried job computes the very same replies.
 */
export function step(previous: Session, inbound: Inbound, ctx: EngineContext): StepResult {
  const session: Session = structuredClone(previous);
  session.updatedAt = inbound.receivedAt;
  if (!session.language && inbound.languageHint && ctx.translator.languages.includes(inbound.languageHint)) {
    session.language = inbound.languageHint;
  }
  // A first message clear enough about its language ("help I am locked in") is answered in it.
  const detected = inbound.nlu;
  const words = (inbound.text ?? '').trim().split(/\s+/).length;
  if (
    !session.language &&
    detected &&
    detected.languageConfidence >= LANGUAGE_CONFIDENCE &&
    words >= 3 &&
    ctx.translator.languages.includes(detected.language)
  ) {
    session.language = detected.language;
  }
  adoptLegacyPlace(session);
  const waiting = session.waiting;
  const waitingNode = waiting ? ctx.flows.node(waiting.flow, waiting.node) : undefined;
  // A stored question that a content change removed is forgotten, not a crash.
  const question = waiting && waitingNode && isQuestion(waitingNode) ? { node: waitingNode, at: waiting } : undefined;
  rememberEntities(session, inbound, question?.node.type === 'ask' && question.node.input === 'text');
  const turn: Turn = { ctx, inbound, session, replies: [], effects: [], trail: [] };

  // A broadcast's button ("check an offer") starts its flow wherever the person was.
  const buttonFlow = ctx.flows.flows.get(flowOfButton(inbound.choice) ?? '');
  if (buttonFlow) return run(turn, { flow: buttonFlow.id, node: buttonFlow.start });

  // Danger, whole-message keywords and phrases of flows that answer ("nomor hotline") first;
  // then a typed question the answer bank knows, which answers it better than the menu its
  // topic's words or intent would open.
  const found = findTrigger(turn, question?.node);
  const wordsWin = found && (found.by === 'danger' || found.by === 'keyword' || (found.by === 'phrase' && !found.trigger.topic));
  if (found?.by === 'danger') rememberTopicIfSafe(turn);
  if (found && wordsWin) return run(turn, ctx.flows.resolve('main', found.trigger.goto));
  const fromBank = bankDecision(turn, question?.node, question?.at);
  if (fromBank?.kind === 'answer' && showCard(turn, fromBank.card)) return result(turn);
  // Unsure between cards: a topic's own words ("jalur resmi") open its menu instead.
  if (fromBank?.kind === 'suggest' && fromBank.cards.length > 0 && found?.by !== 'phrase') {
    suggestCards(turn, fromBank.cards);
    return result(turn);
  }
  // "I work in Hong Kong" at a menu reads like the topic of working abroad, but only says
  // where the person is: noted, and the same menu, rather than a topic they did not ask for.
  // With nothing open, a worker abroad saying so ("saya kerja di malaysia jadi pembantu") gets
  // the start rather than the planners' topic; someone home again keeps the returnees' menu.
  if (found?.by === 'intent' && found.trigger.topic && saysWhereTheyAre(turn) && !asks(inbound.text ?? '')) {
    if (question?.node.type === 'say') return noted(turn, question.node, question.at);
    if (!question && whereabouts(session.situation ?? {}) !== 'indonesia') return run(turn, ctx.flows.entry);
  }
  if (found) return run(turn, ctx.flows.resolve('main', found.trigger.goto));
  if (!question) return run(turn, ctx.flows.entry);
  if (question.at.flow === ANSWERS_FLOW) return afterAnswer(turn, question.node, question.at);
  return answer(turn, question.node, question.at);
}

/**
 * What the message would have started without the danger reading (a complaint, the
 * services) waits in `topic_if_safe` as that trigger's id. Danger Pelita is unsure of is
 * asked about ("are you in danger right now?"), and a "no" leads to it rather than to "type
 * your question again". Danger with a question in it ("my madam hit me today, can I change
 * employer?") gets the numbers first, then a button back to that question.
 */
function rememberTopicIfSafe(turn: Turn): void {
  const { nlu } = turn.inbound;
  delete turn.session.vars.topic_if_safe;
  delete turn.session.vars.card_if_safe;
  if (!nlu?.emergencyKind) return;
  // Danger Pelita is sure of (not the safety question): only a question asked with it counts.
  const sure = nlu.emergencyKind !== 'unclear';
  const text = turn.inbound.text ?? '';
  if (sure && !text.includes('?') && !ASKS_BESIDES_DANGER.test(normalizeAnswer(text))) return;
  const { emergencyKind: _kind, intentIfSafe, ...rest } = nlu;
  const safe = {
    ...rest,
    emergency: false,
    emergencyByRule: false,
    intent: intentIfSafe?.intent ?? 'unknown',
    // The NLU gives a question besides danger only past its own bar for one (a little under a
    // message's own intent): past that, the question's topic is followed like any intent.
    confidence: intentIfSafe ? Math.max(intentIfSafe.confidence, INTENT_CONFIDENCE_FLOOR) : 0,
  };
  const other = findTrigger({ ...turn, inbound: { ...turn.inbound, nlu: safe } }, undefined);
  if (other && other.by !== 'danger' && !(sure && ANSWERED_BY_THE_NUMBERS.has(other.trigger.id)))
    turn.session.vars.topic_if_safe = other.trigger.id;
  // The card that answers the question itself, when the bank clearly prefers one: the
  // "your question" button shows it rather than its topic's menu.
  const [best, second] = nlu.answers ?? [];
  if (
    sure &&
    turn.session.vars.topic_if_safe !== undefined &&
    best &&
    best.confidence >= ANSWER_POLICY.suggest &&
    best.confidence - (second?.confidence ?? 0) >= ANSWER_POLICY.close
  )
    turn.session.vars.card_if_safe = best.card;
}

function answer(turn: Turn, node: QuestionNode, at: Position & { retries: number }): StepResult {
  const go = (target: string) => run(turn, turn.ctx.flows.resolve(at.flow, target));
  if (node.type === 'say') {
    const picked = chooseFrom(turn, node.choices);
    if (!picked && saysWhereTheyAre(turn)) return noted(turn, node, at);
    if (!picked) return reask(turn, node, at);
    setVariables(turn, picked.set ?? {});
    // The linter makes sure every menu choice leads somewhere: a goto, or the say's next.
    return go(picked.goto ?? node.next ?? '');
  }
  const result = parseAnswer(turn, node);
  if (result.kind === 'invalid') return reask(turn, node, at);
  if (result.kind === 'valid') setVariables(turn, result.values);
  return go((result.kind === 'valid' && result.goto) || node.next);
}

/**
 * After an answer or a "did you mean": the buttons on screen are the card's own (its
 * follow-ups) and the flow's ("helpful?", the menu). Anything else leads to the clarifying
 * path (the menu and "talk to a person"), never to "choose from the menu".
 */
function afterAnswer(turn: Turn, node: QuestionNode, at: Position & { retries: number }): StepResult {
  const picked = pickAfterAnswer(turn, node);
  if (picked?.startsWith('card:') && showCard(turn, picked.slice('card:'.length))) return result(turn);
  if (picked?.startsWith('flow:')) return run(turn, turn.ctx.flows.resolve(at.flow, picked.slice('flow:'.length)));
  const card = turn.session.vars.answer_card;
  if ((picked === 'helpful' || picked === 'not_helpful') && typeof card === 'string')
    turn.effects.push({ type: 'answer_count', card, event: picked });
  const choice = choicesOf(node).find((candidate) => candidate.id === picked);
  if (choice) {
    setVariables(turn, choice.set ?? {});
    return run(turn, turn.ctx.flows.resolve(at.flow, choice.goto ?? node.next ?? ''));
  }
  if (saysWhereTheyAre(turn)) return noted(turn, node, at);
  return run(turn, { flow: NOT_UNDERSTOOD.flow, node: NOT_UNDERSTOOD.node });
}

/**
 * "Saya kerja di Malaysia" typed at a menu is no answer to it, but no miss either: Pelita
 * says what it noted (where they are) and shows the same menu again.
 */
function saysWhereTheyAre(turn: Turn): boolean {
  const cues = turn.inbound.nlu?.entities?.situation;
  return cues !== undefined && (cues.here !== undefined || cues.atSea === true) && whereabouts(turn.session.situation ?? {}) !== undefined;
}

function noted(turn: Turn, node: QuestionNode, at: Position & { retries: number }): StepResult {
  const language = languageOf(turn);
  const key = whereabouts(turn.session.situation ?? {}) === 'at_sea' ? 'common.noted_at_sea' : 'common.noted_situation';
  turn.replies.push({ text: renderText(turn, key, language), choices: renderChoices(turn, choicesOf(node)) });
  turn.session.waiting = { flow: at.flow, node: at.node, retries: at.retries };
  return result(turn);
}

/**
 * One short message: what was wrong and the same menu, not the whole question again. Never
 * a dead end: a menu not understood twice (a one-item menu at once), or a question not
 * answered three times, leads to `main:not_understood` (the menu and "talk to a person").
 */
function reask(turn: Turn, node: QuestionNode, at: Position & { retries: number }): StepResult {
  const retries = at.retries + 1;
  if (node.type === 'ask' && node.on_fail && node.max_retries !== undefined && retries > node.max_retries) {
    return run(turn, turn.ctx.flows.resolve(at.flow, node.on_fail));
  }
  const choices = choicesOf(node);
  const giveUpAfter = node.type === 'say' ? (choices.length <= 1 ? 0 : 1) : MAX_ASK_RETRIES;
  const notUnderstood = turn.ctx.flows.node(NOT_UNDERSTOOD.flow, NOT_UNDERSTOOD.node);
  if (retries > giveUpAfter && notUnderstood) {
    return run(turn, { flow: NOT_UNDERSTOOD.flow, node: NOT_UNDERSTOOD.node });
  }
  // Chatter Pelita cannot help with ("who won the football?") is told so, kindly, at a menu.
  const chatter = node.type === 'say' && turn.inbound.nlu?.intent === 'unknown' && turn.inbound.nlu.confidence >= CHATTER_CONFIDENCE;
  const key = chatter
    ? 'ask.out_of_scope'
    : (node.type === 'ask' && node.invalid) || INVALID_KEYS[node.type === 'ask' ? node.input : 'menu'];
  const text = turn.ctx.translator.t(key, languageOf(turn), { ...textVariables(turn, languageOf(turn)), count: choices.length });
  turn.replies.push(choices.length > 0 ? { text, choices: renderChoices(turn, choices) } : { text });
  turn.session.waiting = { flow: at.flow, node: at.node, retries };
  return result(turn);
}

function run(turn: Turn, start: Position): StepResult {
  const { flows } = turn.ctx;
  turn.session.waiting = undefined;
  let position = start;
  let contentError: string | undefined;
  const maxSteps = turn.ctx.maxSteps ?? DEFAULT_MAX_STEPS;
  for (let steps = 0; steps < maxSteps; steps++) {
    const node = flows.node(position.flow, position.node);
    if (!node) return fallback(turn, `node ${position.flow}:${position.node} does not exist`);
    turn.trail.push(`${position.flow}:${position.node}`);
    const outcome = runNode(node, turn);
    switch (outcome.kind) {
      case 'wait':
        turn.session.waiting = { ...position, retries: 0 };
        return result(turn, contentError);
      case 'stop':
        return result(turn, contentError);
      case 'next':
        position = flows.resolve(position.flow, outcome.target);
        break;
      case 'error':
        if (!outcome.target) return fallback(turn, `${position.flow}:${position.node}: ${outcome.message}`);
        contentError = `${position.flow}:${position.node}: ${outcome.message}`;
        position = flows.resolve(position.flow, outcome.target);
        break;
    }
  }
  return fallback(turn, `more than ${maxSteps} nodes ran for one message (a loop?) near ${position.flow}:${position.node}`);
}

function result(turn: Turn, contentError?: string): StepResult {
  const { session, replies, effects, trail } = turn;
  const urgent = ranDangerFlow(turn);
  return { session, replies, effects, trail, ...(contentError ? { contentError } : {}), ...(urgent ? { urgent } : {}) };
}

const dangerFlowsOf = new WeakMap<EngineContext['flows'], ReadonlySet<string>>();

/**
 * Whether the turn ran a flow that danger triggers lead to (the emergency flow, its care
 * and safety questions), so that its replies, the numbers included, go out first: also the
 * answer to "where are you now?" asked after the essentials.
 */
function ranDangerFlow(turn: Turn): boolean {
  const { flows } = turn.ctx;
  let dangerFlows = dangerFlowsOf.get(flows);
  if (!dangerFlows) {
    dangerFlows = new Set(flows.triggers.filter((trigger) => trigger.always).map((trigger) => flows.resolve('main', trigger.goto).flow));
    dangerFlowsOf.set(flows, dangerFlows);
  }
  const found = dangerFlows;
  return turn.trail.some((node) => found.has(node.slice(0, node.indexOf(':'))));
}

/** A content mistake must still leave the person with an answer and a way to get help. */
function fallback(turn: Turn, contentError: string): StepResult {
  turn.session.waiting = undefined;
  turn.replies.push({ text: renderText(turn, 'common.error', languageOf(turn), ENGINE_CONTACTS) });
  return result(turn, contentError);
}
