import type { Reply } from '../core/messages/reply.ts';
import { splitAtSentences } from '../core/text/split-text.ts';

/**
 * A reply as plain text messages with its menu numbered, for channels without buttons (or
 * menus that do not fit them): "2" or the label typed back both work. Long text is split
 * at sentence boundaries; the menu follows the last part, or is a message of its own when
 * it would not fit there.
 */
export function renderAsNumberedText(reply: Reply, limit: number): string[] {
  // Only the text is split at sentences: the ". " after a menu number would look like one.
  const parts = splitAtSentences(reply.text, limit).filter((part) => part.trim().length > 0);
  const menu = (reply.choices ?? []).map((choice, index) => `${index + 1}. ${choice.label}`).join('\n');
  if (menu === '') return parts;
  const last = parts.at(-1);
  if (last === undefined) return splitAtSentences(menu, limit);
  const lastWithMenu = `${last}\n\n${menu}`;
  if (lastWithMenu.length <= limit) return [...parts.slice(0, -1), lastWithMenu];
  return [...parts, ...splitAtSentences(menu, limit)];
}
