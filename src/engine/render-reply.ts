import type { Choice } from '../flows/flow-schema.ts';
import type { Reply } from '../messages/reply.ts';
import type { EngineContext } from './engine-context.ts';

/** A text key with its contact lines, in one language. */
export function renderText(ctx: EngineContext, key: string, language: string, contactIds: readonly string[] = []): string {
  const lines = [ctx.translator.t(key, language)];
  for (const id of contactIds) {
    const contact = ctx.contacts.get(id);
    // loadFlows and the linter refuse unknown ids; a gap here must not crash a conversation.
    if (!contact) continue;
    const name = contact.name[language] ?? contact.name[ctx.translator.fallback] ?? id;
    const note = contact.note?.[language];
    const checked = ctx.translator.t('common.checked_on', language, { date: contact.verifiedOn });
    lines.push(`• ${name}: ${contact.value}${note ? ` (${note})` : ''} [${checked}]`);
  }
  return lines.join('\n');
}

export function renderChoices(ctx: EngineContext, choices: readonly Choice[], language: string): Reply['choices'] {
  return choices.map((choice) => ({ id: choice.id, label: ctx.translator.t(choice.label, language) }));
}
