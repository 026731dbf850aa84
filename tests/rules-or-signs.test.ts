import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SHIPPED_CONTENT } from '../src/config/content-paths.ts';
import { IntentClassifier } from '../src/nlu/intent-classifier.ts';
import { Nlu } from '../src/nlu/nlu.ts';

const shared = {
  en: {
    emergency: [
      'my employer locks me in the room',
      'help he is beating me now',
      'they took my phone and locked the door',
      'boss hits me every day',
    ],
    warning_signs: [
      'what are the signs of trafficking',
      'how do job scams trick people',
      'is a held passport a sign of forced labour',
      'how many days off does a helper get by law',
      'can my employer keep my phone at night, is it legal',
    ],
    migrate_safely: ['how do i go abroad legally', 'what documents do i need to work abroad', 'how long is a work contract in taiwan'],
    unknown: ['the weather is nice today', 'i like fried rice', 'football tonight'],
  },
};
// The labelling guide files the last two warning_signs lines (a worker's own rules) under migrate_safely.
const guide = {
  en: {
    ...shared.en,
    warning_signs: shared.en.warning_signs.slice(0, 3),
    migrate_safely: [...shared.en.migrate_safely, ...shared.en.warning_signs.slice(3)],
  },
};

describe("the second opinion between a worker's own rules and warning signs", () => {
  it('changes the ranking between the two intents and never the emergency score', async () => {
    const plain = await IntentClassifier.train(shared);
    const withGuide = await IntentClassifier.train(shared, guide);
    for (const text of ['my boss locks me in', 'how many days off by law for a helper', 'signs of trafficking', 'nice weather']) {
      const [a, b] = [await plain.classify(text, 'en'), await withGuide.classify(text, 'en')];
      expect(b.emergencyScore, text).toBe(a.emergencyScore);
    }
    const ruleQuestion = 'how many days off does a helper get, is it legal';
    expect((await plain.classify(ruleQuestion, 'en')).ranked[0]?.intent).toBe('warning_signs');
    expect((await withGuide.classify(ruleQuestion, 'en')).ranked[0]?.intent).toBe('migrate_safely');
    expect((await withGuide.classify('what are the signs of trafficking', 'en')).ranked[0]?.intent).toBe('warning_signs');
  });

  const copies: string[] = [];
  afterAll(() => {
    for (const dir of copies) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a relabelled line that is not a training line, naming the file and the line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pelita-nlu-'));
    copies.push(dir);
    cpSync(SHIPPED_CONTENT.nlu, dir, { recursive: true });
    const file = path.join(dir, 'relabelled.yaml');
    writeFileSync(file, 'relabelled:\n  en:\n    migrate_safely:\n      - "a line nobody trained on"\n');
    await expect(Nlu.load(dir)).rejects.toThrow(`${file}: "a line nobody trained on" (en, migrate_safely) is not a training line`);
  });
});
