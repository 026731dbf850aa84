import type { Location, Message, MessageId } from 'whatsapp-web.js';
import { conversationIdOf } from '../../core/messages/channel.ts';
import type { Inbound } from '../../core/messages/inbound.ts';

/** What Pelita reads of a whatsapp-web.js message (tests build these without a browser). */
export type IncomingWhatsAppWebMessage = Pick<Message, 'from' | 'fromMe' | 'isStatus' | 'type' | 'body'> & {
  id: Pick<MessageId, '_serialized'>;
  /** Declared as always there, but whatsapp-web.js leaves it undefined unless the type is 'location'. */
  location?: Pick<Location, 'latitude' | 'longitude'> | undefined;
};

/** Longest text the pipeline takes (`inboundSchema`); WhatsApp allows far more. */
const MAX_TEXT = 16_384;
const STATUS_BROADCAST = 'status@broadcast';

/**
 * A person writing to Pelita in a one-to-one chat. Never groups: a bot speaking there could
 * expose a worker to others; never status updates, nor what Pelita's number sent itself.
 */
function isFromPersonInPrivate(message: IncomingWhatsAppWebMessage): boolean {
  return !message.from.endsWith('@g.us') && !message.isStatus && message.from !== STATUS_BROADCAST && !message.fromMe;
}

/**
 * One whatsapp-web.js message as Pelita's `Inbound`, or undefined for what Pelita does not
 * answer (groups, status updates, our own messages, media, stickers, calls). The message's
 * serialized id is the dedupe key: a message the phone delivers again is dropped by the gateway.
 */
export function inboundFromMessage(message: IncomingWhatsAppWebMessage, receivedAt: string): Inbound | undefined {
  if (!isFromPersonInPrivate(message)) return undefined;
  const base = {
    channel: 'whatsapp-web' as const,
    conversationId: conversationIdOf('whatsapp-web', message.from),
    messageId: message.id._serialized,
    receivedAt,
  };
  if (message.type === 'location') {
    // whatsapp-web.js declares the coordinates as strings; WhatsApp Web hands over numbers.
    const lat = Number(message.location?.latitude);
    const lon = Number(message.location?.longitude);
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) return undefined;
    return { ...base, location: { lat, lon } };
  }
  // A pasted job offer can be long: better its first 16,384 characters checked than no answer.
  if (message.type === 'chat') return { ...base, text: message.body.slice(0, MAX_TEXT) };
  return undefined;
}

/** The WhatsApp chat id ("628123456789@c.us") a conversation's replies go to. */
export function chatIdOf(conversationId: string): string {
  return conversationId.slice('whatsapp-web:'.length);
}
