import { z } from 'zod';

/** A menu item: `id` is what a button press sends back, `label` what the person sees. */
export interface ReplyChoice {
  id: string;
  label: string;
}

/** What the engine says, before any channel renders it. */
export interface Reply {
  text: string;
  choices?: ReplyChoice[];
}

/** A reply with its identity: ids are derived from the inbound id and position, so a resent reply is recognisably the same one. */
export interface AddressedReply extends Reply {
  id: string;
  inReplyTo: string;
}

/** Everything the engine said in answer to one inbound message, in order. */
export interface OutboundBatch {
  conversationId: string;
  inReplyTo: string;
  replies: AddressedReply[];
  /** When the message answered was received: for the reply latency in /metrics. */
  receivedAt?: string;
  /** The language the replies are in (for the few words a channel adds, e.g. a list's button). */
  language?: string;
  /** An emergency's replies: delivered before ordinary ones waiting on the same channel. */
  urgent?: boolean;
  /**
   * For WhatsApp contacts outside the 24-hour window: the approved template to send instead
   * (a broadcast's own, with its parameters). Without it, the channel's configured one.
   */
  template?: MessageTemplate;
  /** What the batch belongs to (a broadcast, "bc-<id>"), echoed back by platforms that report delivery. */
  tag?: string;
}

/** An approved WhatsApp message template and the values of its body parameters, in order. */
export interface MessageTemplate {
  name: string;
  language: string;
  parameters?: string[];
}

const choiceSchema = z.object({ id: z.string(), label: z.string() });

/** An outbound batch as read back from a queue in Redis (see ConversationQueue's `payload`). */
export const outboundBatchSchema: z.ZodType<OutboundBatch> = z.object({
  conversationId: z.string().min(1),
  inReplyTo: z.string().min(1),
  replies: z.array(z.object({ id: z.string().min(1), inReplyTo: z.string(), text: z.string(), choices: z.array(choiceSchema).optional() })),
  receivedAt: z.string().optional(),
  language: z.string().optional(),
  urgent: z.boolean().optional(),
  template: z.object({ name: z.string(), language: z.string(), parameters: z.array(z.string()).optional() }).optional(),
  tag: z.string().optional(),
});

/** A button that starts a flow from wherever the person is (a broadcast's "check an offer"). */
export function flowButtonId(flow: string): string {
  return `start:${flow}`;
}

/** The flow a pressed button starts, when it is such a button. */
export function flowOfButton(choice: string | undefined): string | undefined {
  return choice?.startsWith('start:') ? choice.slice('start:'.length) : undefined;
}

export function replyIdOf(inReplyTo: string, position: number): string {
  return `${inReplyTo}:${position + 1}`;
}

export function addressReplies(conversationId: string, inReplyTo: string, replies: Reply[], receivedAt?: string): OutboundBatch {
  return {
    conversationId,
    inReplyTo,
    ...(receivedAt ? { receivedAt } : {}),
    replies: replies.map((reply, position) => ({ id: replyIdOf(inReplyTo, position), inReplyTo, ...reply })),
  };
}
