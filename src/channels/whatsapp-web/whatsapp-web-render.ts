import type { Reply } from '../../core/messages/reply.ts';
import { renderAsNumberedText } from '../numbered-text.ts';

/** WhatsApp's longest text message. */
export const WHATSAPP_TEXT_LIMIT = 4096;

/**
 * A reply as WhatsApp text messages. whatsapp-web.js can no longer send buttons or lists
 * (WhatsApp dropped them for unofficial clients), so a menu is numbered text.
 */
export function renderForWhatsAppWeb(reply: Reply): string[] {
  return renderAsNumberedText(reply, WHATSAPP_TEXT_LIMIT);
}
