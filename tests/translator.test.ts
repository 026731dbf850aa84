import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTranslator } from '../src/content/translator.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'pelita-locales-'));
const write = (language: string, namespace: string, content: object) => {
  mkdirSync(path.join(dir, language), { recursive: true });
  writeFileSync(path.join(dir, language, `${namespace}.json`), JSON.stringify(content));
};
write('id', 'menu', {
  plain: 'Pilih nomor',
  greeting: 'Halo {{name}}',
  nested: 'Lihat: $t(menu:plain)',
  item_one: '{{count}} pesan',
  item_other: '{{count}} pesan-pesan',
  only_id: 'Hanya bahasa Indonesia',
});
write('en', 'menu', {
  plain: 'Pick a number',
  greeting: 'Hello {{name}}',
  nested: 'See: $t(menu:plain)',
  item_one: '{{count}} message',
  item_other: '{{count}} messages',
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the translator', () => {
  const translator = loadTranslator(dir, 'id');
  // The engine passes the session's variables to every sentence, needed or not.
  const vars = { name: 'Sari', welcomed: 'true', language: 'en' };

  it('gives a sentence without placeholders as it is, with or without values', () => {
    expect(translator.t('menu.plain', 'en')).toBe('Pick a number');
    expect(translator.t('menu.plain', 'en', vars)).toBe('Pick a number');
    expect(translator.t('menu.plain', 'id', vars)).toBe('Pilih nomor');
  });

  it('fills placeholders, nests, picks plurals, and falls back to the fallback language', () => {
    expect(translator.t('menu.greeting', 'en', vars)).toBe('Hello Sari');
    expect(translator.t('menu.greeting', 'id', vars)).toBe('Halo Sari');
    expect(translator.t('menu.nested', 'en', vars)).toBe('See: Pick a number');
    expect(translator.t('menu.item', 'en', { count: 1 })).toBe('1 message');
    expect(translator.t('menu.item', 'en', { ...vars, count: 3 })).toBe('3 messages');
    expect(translator.t('menu.only_id', 'en', vars)).toBe('Hanya bahasa Indonesia');
  });
});
