import { EventEmitter } from 'node:events';
import whatsappWeb from 'whatsapp-web.js';
import type { Client, ClientOptions, MessageContent } from 'whatsapp-web.js';
import type { WhatsAppWebClientFactory } from '../../src/channels/whatsapp-web/whatsapp-web-channel.ts';
import type { IncomingWhatsAppWebMessage } from '../../src/channels/whatsapp-web/whatsapp-web-inbound.ts';

export interface SentWhatsAppMessage {
  chatId: string;
  text: string;
}

/**
 * A double of whatsapp-web.js's Client: no browser, no WhatsApp. Tests play WhatsApp Web
 * by emitting its events ('qr', 'ready', 'message', 'disconnected'); what Pelita sends is
 * recorded. The members Pelita calls are checked against the package's own declarations.
 */
export class FakeWhatsAppClient extends EventEmitter implements Pick<Client, 'initialize' | 'destroy'> {
  readonly sent: SentWhatsAppMessage[] = [];
  initializeCalls = 0;
  destroyCalls = 0;

  constructor(readonly options: ClientOptions) {
    super();
  }

  async initialize(): Promise<void> {
    this.initializeCalls += 1;
  }

  async destroy(): Promise<void> {
    this.destroyCalls += 1;
  }

  /** Client.sendMessage's parameters; answers with the sent message's id, all Pelita reads of it. */
  async sendMessage(...[chatId, content]: Parameters<Client['sendMessage']>): Promise<{ id: { _serialized: string } }> {
    if (typeof content !== 'string') throw new Error(`the double sends text only, got ${kindOf(content)}`);
    this.sent.push({ chatId, text: content });
    return { id: { _serialized: `true_${chatId}_SENT${this.sent.length}` } };
  }

  asClient(): Client {
    // The one cast: the double has every member Pelita uses (checked above), not the
    // hundred others of the real Client.
    return this as unknown as Client;
  }
}

function kindOf(content: MessageContent): string {
  return content?.constructor?.name ?? typeof content;
}

/** A factory that records every client it makes, in order (a reconnect makes a new one). */
export function fakeClientFactory(): { factory: WhatsAppWebClientFactory; clients: FakeWhatsAppClient[] } {
  const clients: FakeWhatsAppClient[] = [];
  const factory: WhatsAppWebClientFactory = (options) => {
    const client = new FakeWhatsAppClient(options);
    clients.push(client);
    return client.asClient();
  };
  return { factory, clients };
}

const { MessageTypes } = whatsappWeb;

/** A message as whatsapp-web.js hands it over, with only the fields Pelita reads. */
export function incomingMessage(
  fields: Partial<Omit<IncomingWhatsAppWebMessage, 'id'>> & Pick<IncomingWhatsAppWebMessage, 'from'> & { id: string },
): IncomingWhatsAppWebMessage {
  const { id, ...rest } = fields;
  // whatsapp-web.js's serialized ids read "<fromMe>_<chat>_<id>".
  return { fromMe: false, isStatus: false, type: MessageTypes.TEXT, body: '', ...rest, id: { _serialized: `false_${fields.from}_${id}` } };
}

export const textMessage = (from: string, id: string, body: string) => incomingMessage({ from, id, body });

/** WhatsApp Web reports coordinates as strings in whatsapp-web.js's declarations. */
export const locationMessage = (from: string, id: string, latitude: string, longitude: string) =>
  incomingMessage({ from, id, type: MessageTypes.LOCATION, location: { latitude, longitude } });
