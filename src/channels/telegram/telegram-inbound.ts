import type { Update } from 'grammy/types';
import { conversationIdOf } from '../../core/messages/channel.ts';
import type { Inbound } from '../../core/messages/inbound.ts';

/**
 * The bot's commands and what each means to the engine: the words its triggers know.
 * /start opens the menu (a new person is first asked their language, whatever they type).
 */
export const TELEGRAM_COMMANDS = {
  start: 'menu',
  menu: 'menu',
  help: 'menu',
  language: 'bahasa',
  stop: 'stop',
  delete: 'hapus data saya',
} as const;

/** The longest text message Telegram delivers. */
const TELEGRAM_TEXT_MAX = 4096;

/** Telegram's own language code ("id", "en-GB") when Pelita speaks it. */
function languageOf(code: string | undefined): string | undefined {
  const base = code?.toLowerCase().split('-')[0];
  return base === 'id' || base === 'en' ? base : undefined;
}

/**
 * One Telegram update as Pelita's `Inbound`, or undefined for what Pelita does not answer
 * (groups, channels, edits, service messages, stickers). The update id is the message id:
 * Telegram re-sends an update with the same id, and the gateway drops it.
 */
export function inboundFromUpdate(update: Update, receivedAt: string): Inbound | undefined {
  const base = (chatId: number, languageCode: string | undefined) => ({
    channel: 'telegram' as const,
    conversationId: conversationIdOf('telegram', String(chatId)),
    messageId: String(update.update_id),
    receivedAt,
    ...(languageOf(languageCode) ? { languageHint: languageOf(languageCode) } : {}),
  });

  const query = update.callback_query;
  if (query) {
    const chat = query.message?.chat;
    if (chat?.type !== 'private' || query.data === undefined) return undefined;
    return { ...base(chat.id, query.from.language_code), choice: query.data };
  }

  const message = update.message;
  if (message?.chat.type !== 'private') return undefined;
  const inbound = base(message.chat.id, message.from?.language_code);
  if (message.location) return { ...inbound, location: { lat: message.location.latitude, lon: message.location.longitude } };
  if (message.contact) return { ...inbound, contact: { phone: message.contact.phone_number.slice(0, 32) } };
  const full = message.text ?? message.caption;
  if (full === undefined) return undefined;
  // Telegram's own limit: a longer text is no message a person sent, and is cut there.
  const text = full.slice(0, TELEGRAM_TEXT_MAX);
  const command = /^\/([a-z_]+)(?:@\w+)?(?:\s+(\S+))?\s*$/i.exec(text.trim());
  if (command) {
    const name = command[1]!.toLowerCase() as keyof typeof TELEGRAM_COMMANDS;
    const mapped = TELEGRAM_COMMANDS[name];
    if (mapped) {
      // "/start poster_mataram": the deep link's payload says where the person saw Pelita.
      const payload = name === 'start' ? command[2] : undefined;
      const source = payload && /^[A-Za-z0-9_-]{1,64}$/.test(payload) ? payload : undefined;
      return { ...inbound, text: mapped, ...(source ? { source } : {}) };
    }
  }
  return { ...inbound, text };
}
