import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Trained NLU models kept on disk, keyed by everything that decides them: the training
 * lines, the code that turns lines into features and models, and NLP.js's version. Training
 * both models takes seconds to tens of seconds on a small machine, and every start pays it:
 * a worker restarted after a crash answered nobody, emergencies included, until it was done.
 * The models hold only the shipped training lines, nothing anyone wrote to Pelita.
 */

/** Saved models kept: each is tens of megabytes, and every change to the training lines makes another. */
const KEEP = 4;

/** The code whose change changes a trained model: read into the key. */
const MODEL_CODE = ['intent-features.ts', 'logistic-intents.ts', 'naive-bayes-intents.ts', 'intent-classifier.ts'];

const nlpjsVersion = (createRequire(import.meta.url)('@nlpjs/nlu/package.json') as { version: string }).version;

export function trainedModelKey(training: unknown): string {
  const hash = createHash('sha256');
  hash.update(`nlpjs ${nlpjsVersion}\n`);
  for (const file of MODEL_CODE) hash.update(readFileSync(path.join(import.meta.dirname, file)));
  hash.update(JSON.stringify(training));
  return hash.digest('hex').slice(0, 32);
}

/** The models saved under `key`, or undefined when there are none (or they cannot be read: then they are trained). */
export function readTrainedModels<T>(dir: string, key: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dir, `${key}.json`), 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * Saves models under `key`, whole or not at all (written aside, then renamed), so processes
 * starting together never read half a file. A folder that cannot be written (a read-only
 * install) only means the next start trains again.
 */
export function saveTrainedModels(dir: string, key: string, models: unknown): void {
  try {
    mkdirSync(dir, { recursive: true });
    const aside = path.join(dir, `${key}.${process.pid}.tmp`);
    writeFileSync(aside, JSON.stringify(models));
    renameSync(aside, path.join(dir, `${key}.json`));
    forgetOldest(dir);
  } catch {
    // Nothing lost: the models in memory serve this process.
  }
}

/** Keeps the KEEP most recently saved models (a test's own training data, a new release's). */
function forgetOldest(dir: string): void {
  const saved = readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({ file, at: statSync(path.join(dir, file)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const { file } of saved.slice(KEEP)) rmSync(path.join(dir, file), { force: true });
}
