import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Reply } from '../../core/messages/reply.ts';
import { splitAtSentences } from '../../core/text/split-text.ts';

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

/** Text split for Telegram: measured after HTML escaping, so no part grows past the limit. */
export function splitText(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  return splitAtSentences(text, limit, (part) => escapeHtml(part).length);
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
