import { DEFAULT_ALERTS_PER_WEEK } from '../core/messages/alert-topics.ts';
import type { Choice, QuestionNode, VariableValue } from '../flows/flow-schema.ts';
import type { Reply, ReplyChoice } from '../core/messages/reply.ts';
import { dialledAs, sourceIsOld } from './dial-contact.ts';
import type { EngineContext } from './engine-context.ts';
import { BUILT_IN_CHOICE_LABELS } from './engine-keys.ts';
import { readSituationVariable, situationNames, SITUATION_VARIABLES, whereabouts } from './situation.ts';
import { languageOf, type Turn } from './turn.ts';

/** Choice ids the engine adds itself; flows must not use them. */
export const BUILT_IN_CHOICES = { yes: 'yes', no: 'no', skip: 'skip' } as const;

/** A text key with the session's variables interpolated, and its contact lines, in one language. */
export function renderText(turn: Turn, key: string, language: string, contactIds: readonly string[] = []): string {
  const lines = [turn.ctx.translator.t(key, language, textVariables(turn, language))];
  lines.push(...renderContactLines(turn, expandContactIds(turn, contactIds), language));
  return lines.join('\n');
}

/** One line per contact, dialled as it works from where the person is, with the date it was checked. */
export function renderContactLines(turn: Turn, contactIds: readonly string[], language: string): string[] {
  const { ctx } = turn;
  const lines: string[] = [];
  const where = whereabouts(turn.session.situation ?? {});
  for (const id of contactIds) {
    const contact = ctx.contacts.get(id);
    // The loader and the linter refuse unknown ids; a gap here must not crash a conversation.
    if (!contact) continue;
    // A number that cannot be dialled from where the person is would be a wrong number.
    const value = contact.value === undefined ? ctx.translator.t('common.no_checked_number', language) : dialledAs(contact, where);
    if (value === undefined) continue;
    const name = contact.name[language] ?? contact.name[ctx.translator.fallback] ?? id;
    const note = contact.note?.[language];
    // Numbers go out of date; a portal's or an app's name rarely does.
    const dialled = contact.kind === 'phone' || contact.kind === 'whatsapp';
    const old =
      dialled &&
      contact.sourceDate !== undefined &&
      sourceIsOld(contact.sourceDate, turn.inbound.receivedAt, ctx.contactSourceMaxAgeMonths);
    const checked = ctx.translator.t(old ? 'common.checked_on_old_source' : 'common.checked_on', language, {
      date: contact.verifiedOn,
      source: contact.sourceDate?.slice(0, 4) ?? '',
    });
    lines.push(`• ${name}: ${value}${note ? ` (${note})` : ''} [${checked}]`);
  }
  return lines;
}

/**
 * The values a sentence may insert: the session's variables, the situation's codes and its
 * place names in the reader's language ("Arab Saudi", "Saudi Arabia").
 */
export function textVariables(turn: Turn, language: string): Record<string, VariableValue> {
  const situation = turn.session.situation ?? {};
  const values: Record<string, VariableValue> = {
    ...turn.session.vars,
    language,
    alerts_per_week: turn.ctx.alertsPerWeek ?? DEFAULT_ALERTS_PER_WEEK,
  };
  for (const name of SITUATION_VARIABLES) {
    const value = readSituationVariable(situation, name);
    if (value !== undefined) values[name] = value;
  }
  return { ...values, ...situationNames(situation, turn.ctx.places, language) };
}

/**
 * Contact ids, where "{{var}}" stands for the ids a session variable holds (comma
 * separated), as an action that looked up services leaves them.
 */
function expandContactIds(turn: Turn, ids: readonly string[]): string[] {
  return ids.flatMap((id) => {
    const reference = id.match(/^\{\{\s*([a-z][a-z0-9_]*)\s*\}\}$/);
    if (!reference) return [id];
    const value = turn.session.vars[reference[1]!];
    return typeof value === 'string' && value !== '' ? value.split(',') : [];
  });
}

/** The fallback (first context's) language first, then the others. */
export function bilingualOrder(ctx: EngineContext): string[] {
  const { fallback, languages } = ctx.translator;
  return [fallback, ...languages.filter((language) => language !== fallback)];
}

/** A text in the person's language, or in all languages while theirs is unknown and the node asks for it. */
export function renderNodeText(
  turn: Turn,
  node: { text: string; contacts?: string[] | undefined; bilingual?: boolean | undefined },
): string {
  if (node.bilingual && !turn.session.language) {
    return bilingualOrder(turn.ctx)
      .map((language) => renderText(turn, node.text, language, node.contacts))
      .join('\n\n');
  }
  return renderText(turn, node.text, languageOf(turn), node.contacts);
}

/** The choices a question offers, including the ones the engine adds (yes/no, skip). */
export function choicesOf(node: QuestionNode): Choice[] {
  const own = node.choices ?? [];
  const yesNo: Choice[] =
    node.type === 'ask' && node.input === 'yes_no'
      ? [
          { id: BUILT_IN_CHOICES.yes, label: BUILT_IN_CHOICE_LABELS.yes },
          { id: BUILT_IN_CHOICES.no, label: BUILT_IN_CHOICE_LABELS.no },
        ]
      : [];
  const skip: Choice[] = node.type === 'ask' && node.skippable ? [{ id: BUILT_IN_CHOICES.skip, label: BUILT_IN_CHOICE_LABELS.skip }] : [];
  return [...own, ...yesNo, ...skip];
}

export function renderChoices(turn: Turn, choices: readonly Choice[]): ReplyChoice[] {
  const language = languageOf(turn);
  return choices.map((choice) => ({ id: choice.id, label: turn.ctx.translator.t(choice.label, language) }));
}

export function renderQuestion(turn: Turn, node: QuestionNode): Reply {
  const choices = choicesOf(node);
  return choices.length > 0
    ? { text: renderNodeText(turn, node), choices: renderChoices(turn, choices) }
    : { text: renderNodeText(turn, node) };
}
