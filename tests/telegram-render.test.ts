import { describe, expect, it } from 'vitest';
import type { Update } from 'grammy/types';
import { inboundFromUpdate } from '../src/channels/telegram/telegram-inbound.ts';
import { escapeHtml, renderForTelegram, splitText, TELEGRAM_TEXT_LIMIT } from '../src/channels/telegram/telegram-render.ts';

const at = '2026-11-26T10:00:00.000Z';
const message = (extra: Record<string, unknown>, chat: Record<string, unknown> = { id: 42, type: 'private' }) =>
  ({
    update_id: 10,
    message: { message_id: 1, date: 1, chat, from: { id: 42, is_bot: false, first_name: 'A', language_code: 'id' }, ...extra },
  }) as unknown as Update;

describe('Telegram updates as Inbound', () => {
  it('maps text, commands with a deep link, buttons, locations and contacts', () => {
    expect(inboundFromUpdate(message({ text: 'tolong' }), at)).toMatchObject({
      conversationId: 'telegram:42',
      messageId: '10',
      text: 'tolong',
      languageHint: 'id',
    });
    expect(inboundFromUpdate(message({ text: '/start poster_mataram' }), at)).toMatchObject({ text: 'menu', source: 'poster_mataram' });
    expect(inboundFromUpdate(message({ text: '/start' }), at)).not.toHaveProperty('source');
    expect(inboundFromUpdate(message({ text: '/delete@PelitaBot' }), at)).toMatchObject({ text: 'hapus data saya' });
    expect(inboundFromUpdate(message({ location: { latitude: -8.58, longitude: 116.1 } }), at)).toMatchObject({
      location: { lat: -8.58, lon: 116.1 },
    });
    expect(inboundFromUpdate(message({ contact: { phone_number: '+628123', first_name: 'A' } }), at)).toMatchObject({
      contact: { phone: '+628123' },
    });
    const press = {
      update_id: 11,
      callback_query: {
        id: 'q',
        from: { id: 42, is_bot: false, first_name: 'A' },
        chat_instance: 'c',
        data: 'migrate_safely',
        message: { message_id: 5, date: 1, chat: { id: 42, type: 'private' } },
      },
    } as unknown as Update;
    expect(inboundFromUpdate(press, at)).toMatchObject({ conversationId: 'telegram:42', messageId: '11', choice: 'migrate_safely' });
  });

  it('ignores groups, stickers and a deep link that is not a plain word', () => {
    expect(inboundFromUpdate(message({ text: 'halo' }, { id: -100, type: 'group', title: 'g' }), at)).toBeUndefined();
    expect(inboundFromUpdate(message({ sticker: {} }), at)).toBeUndefined();
    expect(inboundFromUpdate(message({ text: '/start <script>' }), at)).not.toHaveProperty('source');
  });
});

describe('rendering for Telegram', () => {
  it('escapes everything for HTML parse mode', () => {
    expect(escapeHtml('PT <Bunga> & "Mas"')).toBe('PT &lt;Bunga&gt; &amp; "Mas"');
    expect(renderForTelegram({ text: 'a <b>' })[0]!.html).toBe('a &lt;b&gt;');
  });

  it('puts choices on an inline keyboard, numbered, one per row', () => {
    const [message] = renderForTelegram({
      text: 'Menu',
      choices: [
        { id: 'a', label: 'Satu' },
        { id: 'x'.repeat(65), label: 'Too long an id' },
        { id: 'c', label: 'Tiga' },
      ],
    });
    expect(message!.keyboard?.inline_keyboard).toEqual([
      [{ text: '1. Satu', callback_data: 'a' }],
      [{ text: '3. Tiga', callback_data: 'c' }],
    ]);
  });

  it('splits long texts at sentence boundaries, every part within the limit after escaping', () => {
    const sentence = 'Jangan bayar biaya pendaftaran & jangan serahkan paspor asli. ';
    const text = sentence.repeat(200);
    const parts = splitText(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(escapeHtml(part).length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      expect(part.endsWith('.')).toBe(true);
    }
    expect(parts.join(' ')).toBe(text.trim());
    const rendered = renderForTelegram({ text, choices: [{ id: 'ok', label: 'OK' }] });
    expect(rendered.slice(0, -1).every((part) => part.keyboard === undefined)).toBe(true);
    expect(rendered.at(-1)!.keyboard).toBeDefined();
  });
});
