import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { jsonSchemaFiles } from '../src/authoring/json-schemas.ts';
import { PACKAGE_ROOT } from '../src/config/content-paths.ts';

const schemas = jsonSchemaFiles();
const yamlIn = (dir: string) =>
  readdirSync(path.join(PACKAGE_ROOT, dir))
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => path.join(dir, name));

/** Which files each schema is for, as the files' first lines say. */
const FILES: Record<string, string[]> = {
  'flow.schema.json': yamlIn('flows').filter((file) => !file.endsWith('triggers.yaml')),
  'triggers.schema.json': ['flows/triggers.yaml'],
  'contacts.schema.json': ['content/contacts.yaml'],
  'answers.schema.json': yamlIn('content/answers'),
  'red-flags.schema.json': ['content/red-flags.yaml'],
};

describe('JSON Schemas for content editors', () => {
  it('are up to date with the zod schemas (npm run schemas rewrites them)', () => {
    for (const [name, text] of Object.entries(schemas)) expect(readFileSync(path.join(PACKAGE_ROOT, 'schemas', name), 'utf8')).toBe(text);
  });

  it('accept every shipped file, which names its schema on its first line', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    for (const [name, files] of Object.entries(FILES)) {
      const validate = ajv.compile(JSON.parse(schemas[name]!));
      for (const file of files) {
        const text = readFileSync(path.join(PACKAGE_ROOT, file), 'utf8');
        expect(text.split('\n')[0], file).toBe(`# yaml-language-server: $schema=${path.relative(path.dirname(file), `schemas/${name}`)}`);
        const valid = validate(parse(text));
        expect(validate.errors ?? [], file).toEqual([]);
        expect(valid).toBe(true);
      }
    }
  });

  it('flag a mistake an editor makes: a node type that does not exist', () => {
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(schemas['flow.schema.json']!));
    expect(validate({ id: 'x', start: 'a', nodes: { a: { type: 'sey', text: 'menu.prompt' } } })).toBe(false);
    expect(validate({ id: 'x', start: 'a', nodes: { a: { type: 'say', text: 'menu.prompt' } } })).toBe(true);
  });
});
