import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The package root: flows/, locales/ and content/ live there, wherever `pelita` is run from. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ContentPaths {
  flows: string;
  locales: string;
  content: string;
  nlu: string;
}

/**
 * Where content is read from: the package's own folders, or an NGO's copies named by
 * PELITA_FLOWS_DIR, PELITA_LOCALES_DIR, PELITA_CONTENT_DIR and PELITA_NLU_DIR (for `start`
 * and `flows check` alike).
 */
export function contentPathsFrom(env: NodeJS.ProcessEnv): ContentPaths {
  return {
    flows: path.resolve(env.PELITA_FLOWS_DIR ?? path.join(PACKAGE_ROOT, 'flows')),
    locales: path.resolve(env.PELITA_LOCALES_DIR ?? path.join(PACKAGE_ROOT, 'locales')),
    content: path.resolve(env.PELITA_CONTENT_DIR ?? path.join(PACKAGE_ROOT, 'content')),
    nlu: path.resolve(env.PELITA_NLU_DIR ?? path.join(PACKAGE_ROOT, 'nlu')),
  };
}

/**
 * The package's own folders, whatever the environment says: for tools and tests that read
 * the shipped content. What `pelita start` reads is `config.content`.
 */
export const SHIPPED_CONTENT: ContentPaths = contentPathsFrom({});

/** Pelita's version, from package.json: shown in the OpenAPI document. */
export const PELITA_VERSION: string = (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;
