import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SHIPPED_CONTENT } from '../src/config/content-paths.ts';
import { loadLabelledMessages } from '../src/nlu/labelled-messages.ts';
import { Nlu } from '../src/nlu/nlu.ts';
import { readTrainedModels, saveTrainedModels } from '../src/nlu/trained-model-cache.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function emptyDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pelita-model-cache-'));
  dirs.push(dir);
  return dir;
}

describe('trained models kept between starts', () => {
  // Trains once: slow on a small machine, so given its own time.
  it('reads back models that understand every message exactly as the ones just trained', { timeout: 180_000 }, async () => {
    const dir = emptyDir();
    const trained = await Nlu.load(SHIPPED_CONTENT.nlu, undefined, { cacheDir: dir });
    expect(readdirSync(dir).filter((file) => file.endsWith('.json'))).toHaveLength(1);
    const readBack = await Nlu.load(SHIPPED_CONTENT.nlu, undefined, { cacheDir: dir });
    const messages = loadLabelledMessages(path.join(import.meta.dirname, 'nlu', 'heldout.yaml'));
    for (const { text } of messages) expect(await readBack.analyse(text), text).toEqual(await trained.analyse(text));
  });

  it('treats a file it cannot read as no file, and a folder it cannot write as nothing saved', () => {
    const dir = emptyDir();
    writeFileSync(path.join(dir, 'half.json'), '{"danger": {"langu');
    expect(readTrainedModels(dir, 'half')).toBeUndefined();
    expect(readTrainedModels(dir, 'missing')).toBeUndefined();
    const notAFolder = path.join(dir, 'half.json');
    expect(() => saveTrainedModels(notAFolder, 'key', { any: 1 })).not.toThrow();
    saveTrainedModels(dir, 'whole', { any: 1 });
    expect(readTrainedModels(dir, 'whole')).toEqual({ any: 1 });
    expect(readdirSync(dir).filter((file) => file.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps only the four most recently saved models', () => {
    const dir = emptyDir();
    for (let n = 1; n <= 6; n++) saveTrainedModels(dir, `key${n}`, { n });
    expect(readdirSync(dir).filter((file) => file.endsWith('.json'))).toHaveLength(4);
    expect(readTrainedModels(dir, 'key6')).toEqual({ n: 6 });
  });
});
