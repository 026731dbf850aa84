import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Where flows/, locales/ and content/ live: the package root, wherever `pelita` is run from. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const contentPaths = {
  flows: path.join(PACKAGE_ROOT, 'flows'),
  locales: path.join(PACKAGE_ROOT, 'locales'),
  content: path.join(PACKAGE_ROOT, 'content'),
};
