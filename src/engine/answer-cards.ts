import type { AnswerCard, CardContact } from '../content/answer-card-schema.ts';
import type { CardSituation } from '../content/answer-bank.ts';
import type { QuestionNode } from '../flows/flow-schema.ts';
import type { ReplyChoice } from '../core/messages/reply.ts';
import { answersAtOnce, MAX_QUESTION_CHARS, type AnswerThresholds } from '../nlu/answer-retriever.ts';
import { INTENT_CONFIDENCE_FLOOR } from '../nlu/nlu-result.ts';
import { normalizeAnswer } from '../core/text/normalize.ts';
import { ANSWER_FEEDBACK, CHATTER_CONFIDENCE, DID_YOU_MEAN } from './engine-keys.ts';
import { chooseFrom, parseAnswer } from './inputs/parse-answer.ts';
import { matchChoice } from './inputs/match-choice.ts';
import { choicesOf, renderChoices, renderContactLines } from './render-reply.ts';
import { whereabouts } from './situation.ts';
import { languageOf, type Turn } from './turn.ts';

/** The flow that holds what follows an answer: "Was this helpful?" and "Did you mean ...?". */
export const ANSWERS_FLOW = ANSWER_FEEDBACK.flow;
const FEEDBACK_NODE = ANSWER_FEEDBACK.node;
const DID_YOU_MEAN_NODE = DID_YOU_MEAN.node;

/**
 * How alike a message must be to a card. Chosen on the development questions
 * (tests/answers/dev-questions.yaml, `npm run bench:answers-calibrate thresholds`): from
 * `answer` the card is answered at once (there: 65 % of questions answered right at once,
 * 1 % wrongly, most of the rest by one tap); between `suggest` and `answer`, or when the next card is within `close`,
 * the person picks from "Did you mean ...?".
 */
export const ANSWER_POLICY: AnswerThresholds = { answer: 0.25, suggest: 0.15, close: 0.06 };

/** A question typed where free text is asked for (a pasted offer is longer, and no question). */
const SHORT_QUESTION_CHARS = 160;

const QUESTION_WORDS =
  /\?|\b(apa|apakah|gimana|gmn|bagaimana|bisa|bisakah|boleh|bolehkah|berapa|brp|kemana|kmn|dimana|dmn|siapa|kapan|kenapa|knp|harus|perlu|how|what|can|may|where|who|when|why|should|is it|are they|allowed|legal)\b/;

/** Intents that say something rather than ask: greetings, thanks, and requests with their own flow. */
const STATEMENT_INTENTS = new Set([
  'greeting',
  'thanks_bye',
  'menu',
  'change_language',
  'delete_data',
  'subscribe_alerts',
  'unsubscribe',
  'talk_to_human',
]);

/** How a question starts, in either language, when it has no question mark. */
const QUESTION_START =
  /^(apa|apakah|gimana|gmn|bagaimana|bisa|bisakah|boleh|bolehkah|berapa|brp|kemana|dimana|siapa|kapan|kenapa|knp|is|are|can|may|how|what|where|who|when|why|should|do|does)\b/;

type Decision = { kind: 'answer'; card: string } | { kind: 'suggest'; cards: string[] };

/** What the bank has for this message, where a card may answer it. */
export function bankDecision(turn: Turn, waiting: QuestionNode | undefined, at: { flow: string } | undefined): Decision | undefined {
  const { inbound, ctx } = turn;
  const found = inbound.nlu?.answers;
  if (!ctx.answers || !found || found.length === 0 || inbound.text === undefined || inbound.choice !== undefined) return undefined;
  // Danger was dealt with before the bank: an alarm that did not interrupt is no reason to stay silent.
  // A pasted offer or a long story is no question to look up.
  if (inbound.text.length > MAX_QUESTION_CHARS || inbound.text.split('\n').length > 3) return undefined;
  // A company named ("PT Bunga Mas resmi gak?") is looked up in the licence list instead.
  if (inbound.nlu?.entities?.agency) return undefined;
  const cues = inbound.nlu?.entities?.situation;
  // "Halo", "saya di Malaysia", "makasih": said, not asked. Their triggers and flows answer them.
  // Told of someone else ("my sister in Dubai has not called for a week"), it is no greeting.
  if (inbound.nlu && STATEMENT_INTENTS.has(inbound.nlu.intent) && inbound.nlu.confidence >= INTENT_CONFIDENCE_FLOOR && !cues?.aboutOther)
    return undefined;
  if (cues?.placeOnly) return undefined;
  // "I'm a helper in Hong Kong": who and where they are, with nothing asked.
  if (cues && !cues.aboutOther && (cues.here || cues.origin || cues.sector || cues.atSea) && !asks(inbound.text)) return undefined;
  if (waiting && !mayAnswerInstead(turn, waiting, at)) return undefined;
  const [best, ...rest] = found;
  if (!best || best.confidence < ANSWER_POLICY.suggest) return undefined;
  if (answersAtOnce({ confidence: best.confidence, alternatives: rest }, ANSWER_POLICY)) return { kind: 'answer', card: best.card };
  // Chatter the classifier is sure of ("how do you say good morning in Arabic") gets no cards to pick from.
  if (inbound.nlu?.intent === 'unknown' && inbound.nlu.confidence >= CHATTER_CONFIDENCE) return undefined;
  const cards = found
    .filter((match) => match.confidence >= ANSWER_POLICY.suggest && best.confidence - match.confidence < 2 * ANSWER_POLICY.close + 0.1)
    .slice(0, 3)
    .map((match) => match.card);
  return { kind: 'suggest', cards };
}

/** Whether a message is shaped like a question: a question mark or a question word. */
export function asks(text: string): boolean {
  return QUESTION_WORDS.test(normalizeAnswer(text)) || text.includes('?');
}

/** A menu pick, a valid answer or a pasted offer stays what it is; a typed question does not. */
function mayAnswerInstead(turn: Turn, waiting: QuestionNode, at: { flow: string } | undefined): boolean {
  if (at?.flow === ANSWERS_FLOW) return pickAfterAnswer(turn, waiting) === undefined;
  if (waiting.type === 'say') return chooseFrom(turn, choicesOf(waiting)) === undefined;
  if (waiting.input === 'text') {
    // Where an offer or a name was asked for, only a plain question is one ("is the sponsor
    // allowed to keep my passport?"); an offer has question words too ("call us when ...").
    const text = (turn.inbound.text ?? '').trim();
    return text.length < SHORT_QUESTION_CHARS && (text.endsWith('?') || QUESTION_START.test(normalizeAnswer(text)));
  }
  return parseAnswer(turn, waiting).kind === 'invalid';
}

function situationForCards(turn: Turn): CardSituation {
  const situation = turn.session.situation ?? {};
  const countries = [situation.country, situation.destination].filter((code): code is string => code !== undefined && code !== 'ID');
  return { where: whereabouts(situation), countries, stage: situation.stage, sector: situation.sector };
}

/** The contacts of `nearby` types where the person is: their country's abroad, their district's and province's at home. */
function nearbyContactIds(turn: Turn, types: readonly string[]): string[] {
  const { ctx } = turn;
  const situation = turn.session.situation ?? {};
  const where = whereabouts(situation);
  const all = ctx.contacts.all();
  if (where === 'abroad' && situation.country) {
    const found = all.filter((entry) => entry.area?.country === situation.country && types.includes(entry.type));
    return found.sort((a, b) => types.indexOf(a.type) - types.indexOf(b.type)).map((entry) => entry.id);
  }
  if (where === 'indonesia') {
    const province = situation.district ? ctx.places.get('district', situation.district)?.provinceCode : situation.province;
    const found = all.filter(
      (entry) =>
        entry.area?.country === 'ID' &&
        types.includes(entry.type) &&
        (entry.area.district
          ? entry.area.district === situation.district
          : entry.area.province !== undefined && entry.area.province === province),
    );
    return found.sort((a, b) => types.indexOf(a.type) - types.indexOf(b.type)).map((entry) => entry.id);
  }
  return [];
}

/** KP2MI as it can be reached from where the person is; both lines when that is unknown. */
function kp2miFor(where: ReturnType<typeof whereabouts>): string[] {
  if (where === 'indonesia') return ['kp2mi_call_centre'];
  if (where === 'abroad' || where === 'at_sea') return ['kp2mi_from_abroad'];
  return ['kp2mi_call_centre', 'kp2mi_from_abroad'];
}

/**
 * The card's contacts for this person. `nearby` ones that find nothing (place unknown, or
 * no office there) fall back to KP2MI, which serves everyone, from abroad and at home.
 */
function contactIdsFor(turn: Turn, contacts: readonly CardContact[]): string[] {
  const ids: string[] = [];
  for (const contact of contacts) {
    if (typeof contact === 'string') ids.push(contact);
    else {
      const near = nearbyContactIds(turn, contact.nearby);
      ids.push(...(near.length > 0 ? near : kp2miFor(whereabouts(turn.session.situation ?? {}))));
    }
  }
  return [...new Set(ids)];
}

function titleOf(card: AnswerCard, language: string): string {
  const title = card.title?.[language as 'id' | 'en'];
  if (title) return title;
  const question = (language === 'en' ? card.questions.en : card.questions.id)[0] ?? card.id;
  return question.length <= 24 ? question : `${question.slice(0, 23)}…`;
}

/** The buttons under an answer: its follow-ups, then "helpful?" and the way back to the menu. */
function choicesAfter(turn: Turn, card: AnswerCard): ReplyChoice[] {
  const language = languageOf(turn);
  const feedback = turn.ctx.flows.node(ANSWERS_FLOW, FEEDBACK_NODE);
  const own = feedback?.type === 'say' ? renderChoices(turn, feedback.choices ?? []) : [];
  const follow = (card.follow_up ?? []).map((item) => ({
    id: 'card' in item ? `card:${item.card}` : `flow:${item.flow}`,
    label: item.label[language as 'id' | 'en'] ?? item.label.en,
  }));
  // "Helpful" and "not helpful" first: the numbers a person types stay the same on every card.
  const [helpful, notHelpful, ...rest] = own;
  return [...[helpful, notHelpful].filter((choice): choice is ReplyChoice => choice !== undefined), ...follow, ...rest];
}

/** Answers with a card: its text for the person's situation, its contacts, and what next. */
export function showCard(turn: Turn, cardId: string): boolean {
  const { ctx } = turn;
  const card = ctx.answers?.get(cardId);
  if (!card || !ctx.answers) return false;
  if (!turn.session.language && turn.inbound.nlu && ctx.translator.languages.includes(turn.inbound.nlu.language))
    turn.session.language = turn.inbound.nlu.language;
  const language = languageOf(turn);
  const selected = ctx.answers.select(card, situationForCards(turn));
  const lines = [
    selected.text[language as 'id' | 'en'] ?? selected.text.en,
    ...renderContactLines(turn, contactIdsFor(turn, selected.contacts), language),
  ];
  lines.push('', ctx.translator.t('answers.was_it_helpful', language));
  turn.replies.push({ text: lines.join('\n'), choices: choicesAfter(turn, card) });
  turn.session.vars.answer_card = card.id;
  turn.session.waiting = { flow: ANSWERS_FLOW, node: FEEDBACK_NODE, retries: 0 };
  turn.effects.push({ type: 'answer_count', card: card.id, event: 'shown' });
  turn.trail.push(`${ANSWERS_FLOW}:card:${card.id}`, `${ANSWERS_FLOW}:${FEEDBACK_NODE}`);
  return true;
}

/** "Did you mean ...?" with a button per close card, and "none of these". */
export function suggestCards(turn: Turn, cardIds: readonly string[]): void {
  const { ctx } = turn;
  const language = languageOf(turn);
  const cards = cardIds.map((id) => ctx.answers?.get(id)).filter((card): card is AnswerCard => card !== undefined);
  const node = ctx.flows.node(ANSWERS_FLOW, DID_YOU_MEAN_NODE);
  const own = node?.type === 'say' ? renderChoices(turn, node.choices ?? []) : [];
  const text = ctx.translator.t('answers.did_you_mean', language);
  turn.replies.push({ text, choices: [...cards.map((card) => ({ id: `card:${card.id}`, label: titleOf(card, language) })), ...own] });
  turn.session.vars.answer_candidates = cards.map((card) => card.id).join(',');
  turn.session.waiting = { flow: ANSWERS_FLOW, node: DID_YOU_MEAN_NODE, retries: 0 };
  turn.trail.push(`${ANSWERS_FLOW}:${DID_YOU_MEAN_NODE}`);
}

/** The buttons on screen after an answer or a suggestion, rebuilt from the session. */
function choicesOnScreen(turn: Turn, node: QuestionNode): ReplyChoice[] {
  const vars = turn.session.vars;
  const language = languageOf(turn);
  if (turn.session.waiting?.node === DID_YOU_MEAN_NODE) {
    const ids = typeof vars.answer_candidates === 'string' && vars.answer_candidates !== '' ? vars.answer_candidates.split(',') : [];
    const cards = ids.map((id) => turn.ctx.answers?.get(id)).filter((card): card is AnswerCard => card !== undefined);
    return [...cards.map((card) => ({ id: `card:${card.id}`, label: titleOf(card, language) })), ...renderChoices(turn, choicesOf(node))];
  }
  const card = typeof vars.answer_card === 'string' ? turn.ctx.answers?.get(vars.answer_card) : undefined;
  return card ? choicesAfter(turn, card) : renderChoices(turn, choicesOf(node));
}

/** Which of the on-screen buttons the message picks: by press, number or label. */
export function pickAfterAnswer(turn: Turn, node: QuestionNode): string | undefined {
  const onScreen = choicesOnScreen(turn, node);
  const asChoices = onScreen.map((choice) => ({ id: choice.id, label: choice.label }));
  const picked = matchChoice(asChoices, turn.inbound, (choice) => [normalizeAnswer(choice.label)]);
  if (picked) return picked.id;
  // A flow choice typed in any language ("no", "tidak") is found by its own labels.
  return chooseFrom(turn, choicesOf(node))?.id;
}
