/** Every way a person can reach Pelita. A conversation id is `${channel}:${chatId}`. */
export const CHANNELS = ['telegram', 'whatsapp-web', 'whatsapp-cloud', 'http', 'console'] as const;
export type Channel = (typeof CHANNELS)[number];

export function conversationIdOf(channel: Channel, chatId: string): string {
  return `${channel}:${chatId}`;
}

export function channelOf(conversationId: string): Channel {
  const channel = conversationId.slice(0, conversationId.indexOf(':'));
  if (!(CHANNELS as readonly string[]).includes(channel)) {
    throw new Error(`conversation id has no known channel: ${channel || '(none)'}`);
  }
  return channel as Channel;
}
