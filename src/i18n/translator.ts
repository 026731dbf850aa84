import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import i18next, { type i18n, type Resource } from 'i18next';

/** The languages Pelita speaks; adding one means adding a folder under locales/. */
export type Language = string;

export interface Translator {
  readonly languages: readonly Language[];
  readonly fallback: Language;
  t(key: string, language: Language, values?: Record<string, string | number>): string;
  has(key: string, language: Language): boolean;
}

/**
 * Loads `locales/<language>/<namespace>.json`. A key is `<namespace>.<path>` (e.g.
 * `menu.prompt` is `prompt` in `menu.json`). Values are interpolated unescaped: each
 * channel escapes for its own markup (Telegram HTML), and plain-text channels need none.
 */
export function loadTranslator(dir: string, fallback: Language = 'id'): Translator {
  const languages = readdirSync(dir).filter((entry) => statSync(path.join(dir, entry)).isDirectory()).sort();
  if (!languages.includes(fallback)) throw new Error(`${dir}: the fallback language folder "${fallback}" is missing`);
  const resources: Resource = {};
  const namespaces = new Set<string>();
  for (const language of languages) {
    resources[language] = {};
    for (const file of readdirSync(path.join(dir, language)).filter((name) => name.endsWith('.json'))) {
      const namespace = file.slice(0, -'.json'.length);
      const fullPath = path.join(dir, language, file);
      try {
        resources[language][namespace] = JSON.parse(readFileSync(fullPath, 'utf8'));
      } catch (error) {
        throw new Error(`${fullPath}: ${error instanceof Error ? error.message : String(error)}`);
      }
      namespaces.add(namespace);
    }
  }
  const instance: i18n = i18next.createInstance();
  void instance.init({
    resources,
    lng: fallback,
    fallbackLng: fallback,
    ns: [...namespaces],
    nsSeparator: ':',
    keySeparator: '.',
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
    showSupportNotice: false,
  } as Parameters<i18n['init']>[0]);
  const split = (key: string) => {
    const dot = key.indexOf('.');
    return `${key.slice(0, dot)}:${key.slice(dot + 1)}`;
  };
  return {
    languages,
    fallback,
    t: (key, language, values) => instance.t(split(key), { lng: language, ...values }),
    has: (key, language) => instance.exists(split(key), { lng: language, fallbackLng: false } as never),
  };
}
