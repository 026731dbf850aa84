import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Reply } from '../../messages/reply.ts';

/** Telegram's limits (Bot API): message text and a button's callback data. */
export const TELEGRAM_TEXT_LIMIT = 4096;
export const CALLBACK_DATA_LIMIT_BYTES = 64;

export interface TelegramMessage {
  /** HTML, every character of Pelita's text escaped: nothing a person typed can become markup. */
  html: string;
  keyboard?: InlineKeyboardMarkup;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Splits text longer than Telegram allows at sentence (or else line, or else word)
 * boundaries, before escaping, so no entity is ever cut in half.
 */
export function splitText(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text;
  // Escaping can grow the text (& -> &amp;): measure the escaped length.
  while (escapeHtml(rest).length > limit) {
    let cut = -1;
    for (const boundary of [/[.!?]\s+/g, /\n/g, /\s+/g]) {
      for (const match of rest.matchAll(boundary)) {
        const end = (match.index ?? 0) + match[0].length;
        if (escapeHtml(rest.slice(0, end)).length > limit) break;
        cut = end;
      }
      if (cut > 0) break;
    }
    if (cut <= 0) {
      // One enormous word: cut it where it fits.
      cut = limit;
      while (escapeHtml(rest.slice(0, cut)).length > limit) cut -= 1;
    }
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.trim().length > 0 || parts.length === 0) parts.push(rest.trimEnd());
  return parts;
}

/**
 * A reply as Telegram messages: the text (split if long) and its choices as an inline
 * keyboard, one button per row (labels stay readable on small screens), on the last part.
 * A choice whose id does not fit in callback data is left out (`pelita flows check` reports
 * such ids); the person can still type its number or label.
 */
export function renderForTelegram(reply: Reply): TelegramMessage[] {
  const parts = splitText(reply.text).map((part) => ({ html: escapeHtml(part) }) as TelegramMessage);
  // Numbered as in every other channel, so "2" typed or pressed means the same.
  const buttons = (reply.choices ?? [])
    .map((choice, index) => ({ choice, number: index + 1 }))
    .filter(({ choice }) => Buffer.byteLength(choice.id, 'utf8') <= CALLBACK_DATA_LIMIT_BYTES)
    .map(({ choice, number }) => [{ text: `${number}. ${choice.label}`, callback_data: choice.id }]);
  if (buttons.length > 0) parts[parts.length - 1]!.keyboard = { inline_keyboard: buttons };
  return parts;
}
