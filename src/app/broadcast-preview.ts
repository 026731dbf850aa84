import type { Redis } from 'ioredis';
import { numbersIn } from '../alerts/audience.ts';
import { textFor, type BroadcastDefinition } from '../alerts/broadcast.ts';
import type { BroadcastStore } from '../alerts/broadcast-store.ts';
import type { ContactBook } from '../alerts/contact-book.ts';
import { renderForTelegram } from '../channels/telegram/telegram-render.ts';
import { renderForCloud } from '../channels/whatsapp-cloud/whatsapp-cloud-render.ts';
import { SERVICE_WINDOW_MS } from '../channels/whatsapp-cloud/whatsapp-cloud-sender.ts';
import { renderForWhatsAppWeb } from '../channels/whatsapp-web/whatsapp-web-render.ts';
import type { Translator } from '../content/translator.ts';
import type { Channel } from '../core/messages/channel.ts';
import { flowButtonId, type Reply } from '../core/messages/reply.ts';
import type { RedisKeys } from '../redis/redis-keys.ts';
import { storedNumberOr } from '../redis/stored-number.ts';

/** What a broadcast would do if sent now: how many it reaches, split every way staff need, and the message as each channel shows it. */
export interface BroadcastPreview {
  id: string;
  state: string;
  recipients: number;
  /** Above the approval threshold: a second staff member must approve it. */
  needsApproval: boolean;
  byChannel: Partial<Record<Channel, number>>;
  byLanguage: Record<string, number>;
  /** Recipients whose language has no text and no fallback: they would be skipped. */
  withoutText: number;
  /** Per value of each segment the target names (topic, province, district, destination, source). */
  bySegment: Record<string, number>;
  /** WhatsApp Cloud contacts outside the 24-hour window: sent the template, or skipped without one. */
  whatsappOutsideWindow: { count: number; handling: 'template' | 'skipped' };
  /** The message per channel and language, as that channel renders it (text; buttons in brackets). */
  rendered: { channel: Channel; language: string; parts: string[] }[];
}

/** Builds a preview from the live contact book: the same audience sending would plan. */
export async function previewBroadcast(
  deps: { store: BroadcastStore; book: ContactBook; redis: Redis; keys: RedisKeys; translator: Translator; approvalThreshold: number },
  id: string,
): Promise<BroadcastPreview | undefined> {
  const record = await deps.store.get(id);
  if (!record) return undefined;
  const { definition } = record;
  const audience = await deps.store.audience(definition);
  const everyone = [...audience.values()].flat();
  const inAudience = new Set(everyone);
  const count = (numbers: Iterable<number>) => {
    let found = 0;
    for (const number of numbers) if (inAudience.has(number)) found += 1;
    return found;
  };
  const byLanguage: Record<string, number> = {};
  for (const language of deps.translator.languages) {
    const found = count(numbersIn(await deps.book.bitmap(`language:${language}`)));
    if (found > 0) byLanguage[language] = found;
  }
  const covered = Object.entries(byLanguage)
    .filter(([language]) => textFor(definition, language) !== undefined)
    .reduce((sum, [, found]) => sum + found, 0);
  const bySegment: Record<string, number> = {};
  const { target } = definition;
  for (const topic of target.topics ?? []) bySegment[`topic:${topic}`] = count(numbersIn(await deps.book.bitmap(`topic:${topic}`)));
  for (const province of target.provinces ?? [])
    bySegment[`province:${province}`] = count(numbersIn(await deps.book.bitmap(`province:${province}`)));
  for (const destination of target.destinations ?? [])
    bySegment[`destination:${destination}`] = count(numbersIn(await deps.book.bitmap(`destination:${destination}`)));
  for (const district of target.districts ?? []) bySegment[`district:${district}`] = count(await deps.book.members(`district:${district}`));
  for (const source of target.sources ?? []) bySegment[`source:${source}`] = count(await deps.book.members(`source:${source}`));
  return {
    id,
    state: record.state,
    recipients: everyone.length,
    needsApproval: everyone.length > deps.approvalThreshold,
    byChannel: Object.fromEntries([...audience].map(([channel, numbers]) => [channel, numbers.length])),
    byLanguage,
    withoutText: everyone.length - covered,
    bySegment,
    whatsappOutsideWindow: {
      count: await outsideWindow(deps, audience.get('whatsapp-cloud') ?? []),
      handling: definition.whatsapp_template ? 'template' : 'skipped',
    },
    rendered: renderAll(definition, [...audience.keys()], deps.translator),
  };
}

async function outsideWindow(deps: { book: ContactBook; redis: Redis; keys: RedisKeys }, numbers: readonly number[]): Promise<number> {
  let outside = 0;
  for (let start = 0; start < numbers.length; start += 5_000) {
    const contacts = await deps.book.byNumbers(numbers.slice(start, start + 5_000));
    const lastInbound =
      contacts.length > 0 ? await deps.redis.mget(contacts.map((contact) => deps.keys.whatsappLastInbound(contact.conversationId))) : [];
    outside += lastInbound.filter((value) => Date.now() - storedNumberOr(value, 0) >= SERVICE_WINDOW_MS).length;
  }
  return outside;
}

function renderAll(definition: BroadcastDefinition, channels: readonly Channel[], translator: Translator): BroadcastPreview['rendered'] {
  const rendered: BroadcastPreview['rendered'] = [];
  for (const channel of channels) {
    for (const language of Object.keys(definition.text)) {
      const content = textFor(definition, language);
      if (!content) continue;
      const reply: Reply = {
        text: content.text,
        ...(content.buttons.length > 0
          ? { choices: content.buttons.map((button) => ({ id: flowButtonId(button.flow), label: button.label })) }
          : {}),
      };
      rendered.push({ channel, language, parts: renderOne(channel, reply, translator.t('whatsapp.list_button', language)) });
    }
  }
  return rendered;
}

function renderOne(channel: Channel, reply: Reply, listButton: string): string[] {
  const buttons = (labels: string[]) => (labels.length > 0 ? `\n${labels.map((label) => `[${label}]`).join(' ')}` : '');
  switch (channel) {
    case 'telegram':
      return renderForTelegram(reply).map(
        (message) => message.html + buttons(message.keyboard?.inline_keyboard.flat().map((button) => button.text) ?? []),
      );
    case 'whatsapp-cloud':
      return renderForCloud(reply, listButton).map((message) => JSON.stringify(message));
    case 'whatsapp-web':
      return renderForWhatsAppWeb(reply);
    default:
      return [reply.text + buttons((reply.choices ?? []).map((choice) => choice.label))];
  }
}
