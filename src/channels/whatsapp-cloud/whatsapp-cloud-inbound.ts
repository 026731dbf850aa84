import { z } from 'zod';
import { conversationIdOf } from '../../core/messages/channel.ts';
import type { Inbound } from '../../core/messages/inbound.ts';

/** The parts of Meta's webhook payload Pelita reads; anything else in it is ignored. */
const messageSchema = z
  .object({
    from: z.string().min(1).max(32),
    id: z.string().min(1).max(200),
    timestamp: z.string().optional(),
    type: z.string(),
    text: z.object({ body: z.string() }).optional(),
    interactive: z
      .object({
        type: z.string(),
        button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
        list_reply: z.object({ id: z.string(), title: z.string() }).optional(),
      })
      .optional(),
    button: z.object({ text: z.string(), payload: z.string().optional() }).optional(),
    location: z.object({ latitude: z.coerce.number(), longitude: z.coerce.number() }).optional(),
  })
  .passthrough();

const statusSchema = z
  .object({
    id: z.string(),
    status: z.enum(['sent', 'delivered', 'read', 'failed']),
    timestamp: z.string().optional(),
    recipient_id: z.string(),
    /** What Pelita tagged the message with when sending it (a broadcast's "bc-<id>"). */
    biz_opaque_callback_data: z.string().optional(),
    errors: z.array(z.object({ code: z.number() }).passthrough()).optional(),
  })
  .passthrough();

export const webhookPayloadSchema = z
  .object({
    object: z.literal('whatsapp_business_account'),
    entry: z.array(
      z
        .object({
          changes: z.array(
            z
              .object({
                field: z.string().optional(),
                value: z.object({ messages: z.array(messageSchema).optional(), statuses: z.array(statusSchema).optional() }).passthrough(),
              })
              .passthrough(),
          ),
        })
        .passthrough(),
    ),
  })
  .passthrough();

export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;
export type DeliveryStatus = z.infer<typeof statusSchema>;

/** The longest text message WhatsApp delivers. */
const WHATSAPP_TEXT_MAX = 4096;

/** A message from Meta's webhook as an `Inbound`, or undefined for kinds Pelita does not read (stickers, reactions...). */
export function inboundFromCloudMessage(message: z.infer<typeof messageSchema>, receivedAt: string): Inbound | undefined {
  const base = {
    channel: 'whatsapp-cloud' as const,
    conversationId: conversationIdOf('whatsapp-cloud', message.from),
    messageId: message.id,
    receivedAt,
  };
  switch (message.type) {
    case 'text':
      // WhatsApp's own limit: a longer body is no message a person sent, and is cut there.
      return message.text ? { ...base, text: message.text.body.slice(0, WHATSAPP_TEXT_MAX) } : undefined;
    case 'interactive': {
      const picked = message.interactive?.button_reply ?? message.interactive?.list_reply;
      return picked ? { ...base, choice: picked.id } : undefined;
    }
    case 'button':
      // A template's quick-reply button: its payload if it has one, else its text.
      return message.button ? { ...base, text: message.button.payload ?? message.button.text } : undefined;
    case 'location':
      return message.location ? { ...base, location: { lat: message.location.latitude, lon: message.location.longitude } } : undefined;
    default:
      return undefined;
  }
}

/** Every message and status in a payload, in order. */
export function unpack(payload: WebhookPayload): { messages: z.infer<typeof messageSchema>[]; statuses: DeliveryStatus[] } {
  const values = payload.entry.flatMap((entry) => entry.changes.map((change) => change.value));
  return { messages: values.flatMap((value) => value.messages ?? []), statuses: values.flatMap((value) => value.statuses ?? []) };
}
