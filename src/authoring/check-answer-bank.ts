import { readAnswerBank } from '../content/answer-bank.ts';
import { CARD_LANGUAGES, MAX_ANSWER_CHARS, type AnswerCard } from '../content/answer-card-schema.ts';
import { MENU_LIMITS } from '../core/menu-limits.ts';
import { normalizeAnswer } from '../core/text/normalize.ts';
import type { FlowProblem } from '../content/flow-problem.ts';
import { PHONE_PATTERN } from './check-contacts.ts';
import type { Check } from './lint-context.ts';

/** WhatsApp's body limit for a message with buttons or a list: the card, its contacts and "helpful?" must fit. */
const WHATSAPP_INTERACTIVE_BODY = 1024;
/** What one rendered contact line takes, about: name, number, note and the date it was checked. */
const CONTACT_LINE_CHARS = 90;
/** `nearby` contacts found for a place: a mission and a hotline, or a district's offices. */
const NEARBY_LINES = 2;

function answerTexts(card: AnswerCard): { where: string; language: string; text: string; contacts: number }[] {
  const contactLines = (list: AnswerCard['contacts']) =>
    (list ?? []).reduce((sum, contact) => sum + (typeof contact === 'string' ? 1 : NEARBY_LINES), 0);
  const texts = CARD_LANGUAGES.map((language) => ({
    where: 'answer',
    language,
    text: card.answer[language],
    contacts: contactLines(card.contacts),
  }));
  (card.variants ?? []).forEach((variant, index) => {
    for (const language of CARD_LANGUAGES)
      texts.push({
        where: `variants.${index}`,
        language,
        text: variant.answer[language],
        contacts: contactLines(variant.contacts ?? card.contacts),
      });
  });
  return texts;
}

/**
 * The answer bank, as `pelita flows check` reads it: every card valid, sourced and dated, in
 * both languages, short enough for small phones and for WhatsApp, no number typed into an
 * answer (numbers come from the directory, with their dates), follow-ups that lead
 * somewhere, and no question claimed by two cards (retrieval could not tell them apart).
 */
export const checkAnswerBank: Check = ({ contentDir, contacts, flows }) => {
  const { bank, problems, lines } = readAnswerBank(contentDir, contacts);
  const shortCodes = new Set(
    contacts
      .all()
      .filter((contact) => contact.kind === 'phone' || contact.kind === 'whatsapp')
      .map((contact) => (contact.value ?? '').replace(/\D/g, ''))
      .filter((digits) => digits.length > 0 && digits.length <= 5),
  );
  const owners = new Map<string, string>();
  for (const card of bank.cards) {
    const where = lines.get(card.id);
    const file = where?.file ?? contentDir;
    const at = (path: (string | number)[]) => (where ? (where.source.lineOf(['cards', where.index, ...path]) ?? where.line) : undefined);
    const problem = (severity: FlowProblem['severity'], rule: string, message: string, path: (string | number)[] = []) =>
      problems.push({ severity, rule, file, line: at(path), message: `card ${card.id}: ${message}` });
    for (const { where: field, language, text, contacts: contactCount } of answerTexts(card)) {
      const length = [...text].length;
      if (length > MAX_ANSWER_CHARS)
        problem(
          'error',
          'answer-too-long',
          `${field}.${language} has ${length} characters; at most ${MAX_ANSWER_CHARS} fit a small phone`,
          [...field.split('.'), language],
        );
      const rendered = length + contactCount * CONTACT_LINE_CHARS + 40;
      if (rendered > WHATSAPP_INTERACTIVE_BODY)
        problem(
          'warning',
          'channel-length',
          `${field}.${language} with its contacts is about ${rendered} characters; WhatsApp shows at most ${WHATSAPP_INTERACTIVE_BODY} above buttons`,
          [...field.split('.'), language],
        );
      const numbers = [...text.matchAll(PHONE_PATTERN)].map((match) => match[0].trim());
      numbers.push(...[...text.matchAll(/\b\d{3,5}\b/g)].map((match) => match[0]).filter((digits) => shortCodes.has(digits)));
      for (const number of new Set(numbers))
        problem(
          'error',
          'phone-number-in-text',
          `${field}.${language}: "${number}" looks like a number to dial; name the contact in \`contacts\` instead`,
          [...field.split('.'), language],
        );
    }
    (card.follow_up ?? []).forEach((follow, index) => {
      if ('flow' in follow) {
        const [flowId, nodeId] = follow.flow.split(':');
        if (!flows.node(flowId ?? '', nodeId ?? ''))
          problem('error', 'missing-target', `follow_up leads to "${follow.flow}", which does not exist`, ['follow_up', index]);
      }
      for (const language of CARD_LANGUAGES) {
        if ([...follow.label[language]].length > MENU_LIMITS.whatsappList.maxTitle)
          problem(
            'warning',
            'channel-limits',
            `follow_up label "${follow.label[language]}" is longer than ${MENU_LIMITS.whatsappList.maxTitle} characters: WhatsApp shows the menu as numbered text`,
            ['follow_up', index, 'label', language],
          );
      }
    });
    for (const language of CARD_LANGUAGES) {
      for (const question of card.questions[language]) {
        const key = normalizeAnswer(question);
        const owner = owners.get(key);
        if (owner && owner !== card.id)
          problem('error', 'duplicate-question', `question "${question}" is also a question of card ${owner}`, ['questions', language]);
        owners.set(key, card.id);
      }
    }
  }
  return problems;
};
