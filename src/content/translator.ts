import { messageOf } from '../core/log/error-message.ts';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import i18next, { type i18n, type Resource } from 'i18next';
import { ContentError } from './content-error.ts';

/** The languages Pelita speaks; adding one means adding a folder under locales/. */
export type Language = string;

export interface Translator {
  readonly languages: readonly Language[];
  readonly fallback: Language;
  t(key: string, language: Language, values?: Record<string, string | number | boolean>): string;
  /** Whether `language` itself has the key (or its plural forms), without falling back. */
  has(key: string, language: Language): boolean;
  /** Every key `language` defines, as `namespace.path`, plural suffixes removed. */
  keys(language: Language): string[];
  /** The file a key of `language` lives in. */
  fileOf(key: string, language: Language): string;
}

/**
 * Loads `locales/<language>/<namespace>.json`. A key is `<namespace>.<path>` (e.g.
 * `menu.prompt` is `prompt` in `menu.json`). Values are interpolated unescaped: each
 * channel escapes for its own markup (Telegram HTML), and plain-text channels need none.
 */
export function loadTranslator(dir: string, fallback: Language = 'id'): Translator {
  const languages = readdirSync(dir)
    .filter((entry) => statSync(path.join(dir, entry)).isDirectory())
    .sort();
  if (!languages.includes(fallback)) throw new ContentError(dir, `the fallback language folder "${fallback}" is missing`);
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
        throw new ContentError(fullPath, messageOf(error));
      }
      namespaces.add(namespace);
    }
  }
  const keysByLanguage = new Map<string, Set<string>>();
  for (const language of languages) {
    const keys = new Set<string>();
    for (const [namespace, tree] of Object.entries(resources[language] ?? {})) flattenKeys(tree, namespace, keys);
    keysByLanguage.set(language, keys);
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
  });
  const split = (key: string) => {
    const dot = key.indexOf('.');
    return `${key.slice(0, dot)}:${key.slice(dot + 1)}`;
  };
  // Content is fixed once loaded: a sentence without values is looked up in i18next once.
  // (Menu labels are translated in every language for every answer: this was an eighth of
  // the pipeline's CPU time.)
  const plain = new Map<string, string>();
  // Most sentences have no placeholders, but the engine passes the session's variables to
  // every one: i18next's interpolation of a sentence that has nothing to fill was most of
  // the translator's cost. A sentence with no "{{" and no nesting is its own result
  // (unless plural or context options pick another key).
  const fixed = new Map<string, boolean>();
  const isFixed = (key: string, language: Language, cacheKey: string): boolean => {
    let known = fixed.get(cacheKey);
    if (known === undefined) {
      const dot = key.indexOf('.');
      const raw: unknown = instance.getResource(language, key.slice(0, dot), key.slice(dot + 1));
      known = typeof raw === 'string' && !raw.includes('{{') && !raw.includes('$t(');
      fixed.set(cacheKey, known);
    }
    return known;
  };
  return {
    languages,
    fallback,
    t: (key, language, values) => {
      const cacheKey = `${language}\u0000${key}`;
      const needsValues =
        values !== undefined &&
        Object.keys(values).length > 0 &&
        (values.count !== undefined || values.context !== undefined || !isFixed(key, language, cacheKey));
      if (needsValues) return instance.t(split(key), { lng: language, ...values });
      let text = plain.get(cacheKey);
      if (text === undefined) {
        text = instance.t(split(key), { lng: language });
        plain.set(cacheKey, text);
      }
      return text;
    },
    has: (key, language) => {
      const keys = keysByLanguage.get(language);
      return keys !== undefined && (keys.has(key) || keys.has(`${key}_other`) || keys.has(`${key}_one`));
    },
    keys: (language) =>
      [...new Set([...(keysByLanguage.get(language) ?? [])].map((key) => key.replace(/_(zero|one|two|few|many|other)$/, '')))].sort(),
    fileOf: (key, language) => path.join(dir, language, `${key.slice(0, key.indexOf('.'))}.json`),
  };
}

function flattenKeys(tree: unknown, prefix: string, into: Set<string>): void {
  if (typeof tree === 'string') {
    into.add(prefix);
    return;
  }
  if (tree && typeof tree === 'object') {
    for (const [key, value] of Object.entries(tree)) flattenKeys(value, `${prefix}.${key}`, into);
  }
}
