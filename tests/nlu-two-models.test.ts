import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SHIPPED_CONTENT } from '../src/config/content-paths.ts';
import { loadLabelledMessages } from '../src/nlu/labelled-messages.ts';
import { Nlu } from '../src/nlu/nlu.ts';

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the shipped NLU data, to change one file of. */
function copyOfShippedNlu(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pelita-nlu-'));
  copies.push(dir);
  cpSync(SHIPPED_CONTENT.nlu, dir, { recursive: true });
  return dir;
}

describe('the intent model apart from the danger model', () => {
  // Trains two NLUs (four models): slow on a small machine, so given its own time.
  it('learns intent-only lines without moving a single alarm', { timeout: 180_000 }, async () => {
    const dir = copyOfShippedNlu();
    // Lines that would pull danger words towards chatter, were the danger model to learn them.
    mkdirSync(path.join(dir, 'intent-training'), { recursive: true });
    const chatter = ['my boss hits me every day', 'majikan mukul sy tiap hari', 'they locked me in the room', 'sy dikurung di kamar'];
    writeFileSync(
      path.join(dir, 'intent-training', 'en.yaml'),
      `intents:\n  unknown:\n${chatter.map((line) => `    - "${line} haha"\n`).join('')}  menu:\n    - "zorblax quintuple"\n    - "show me the zorblax"\n`,
    );
    const [shipped, changed] = await Promise.all([Nlu.load(SHIPPED_CONTENT.nlu), Nlu.load(dir)]);
    const messages = loadLabelledMessages(path.join(import.meta.dirname, 'nlu', 'heldout.yaml'));
    for (const { text } of messages) {
      const [before, after] = [await shipped.analyse(text), await changed.analyse(text)];
      expect(after.emergency, text).toBe(before.emergency);
      expect(after.emergencyByRule, text).toBe(before.emergencyByRule);
      if (before.emergency) expect(after.confidence, text).toBe(before.confidence);
    }
    // The intent model did learn them.
    expect((await shipped.analyse('zorblax quintuple')).intent).not.toBe('menu');
    expect((await changed.analyse('zorblax quintuple')).intent).toBe('menu');
  });

  it('refuses a relabelled line that is not a training line, naming the file and the line', async () => {
    const dir = copyOfShippedNlu();
    const file = path.join(dir, 'relabelled.yaml');
    writeFileSync(file, 'relabelled:\n  en:\n    migrate_safely:\n      - "a line nobody trained on"\n');
    await expect(Nlu.load(dir)).rejects.toThrow(`${file}: "a line nobody trained on" (en, migrate_safely) is not a training line`);
  });

  it('refuses a labelled message under an intent that does not exist, naming the file and the message', async () => {
    const dir = copyOfShippedNlu();
    const file = path.join(dir, 'labelled', 'dev-listening-99.yaml');
    writeFileSync(file, 'messages:\n  - { text: "klinik murah dimana", language: id, intent: find_service, emergency: false }\n');
    await expect(Nlu.load(dir)).rejects.toThrow(`${file}: "klinik murah dimana": no intent "find_service"`);
  });

  it('refuses an intent-only line under an intent that does not exist, naming the file', async () => {
    const dir = copyOfShippedNlu();
    mkdirSync(path.join(dir, 'intent-training'), { recursive: true });
    const file = path.join(dir, 'intent-training', 'id.yaml');
    writeFileSync(file, 'intents:\n  find_service:\n    - "klinik murah dimana"\n');
    await expect(Nlu.load(dir)).rejects.toThrow(file);
  });
});
