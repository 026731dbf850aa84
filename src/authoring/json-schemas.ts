import { z } from 'zod';
import { answerFileSchema } from '../content/answer-card-schema.ts';
import { contactSchema } from '../content/contact-schema.ts';
import { redFlagsFileSchema } from '../content/red-flag-schema.ts';
import { flowSchema } from '../flows/flow-schema.ts';
import { triggersFileSchema } from '../flows/triggers-schema.ts';

/**
 * JSON Schemas for the files content editors write, generated from the zod schemas Pelita
 * validates them with, so an editor (VS Code with the YAML extension, or any editor that
 * reads `# yaml-language-server: $schema=...`) completes fields and flags mistakes as they
 * type. `npm run schemas` writes them to schemas/; a test fails when they are out of date.
 */
export const CONTENT_SCHEMAS: Record<string, z.ZodType> = {
  'flow.schema.json': flowSchema,
  'triggers.schema.json': triggersFileSchema,
  'contacts.schema.json': z.object({ contacts: z.array(contactSchema) }),
  'answers.schema.json': answerFileSchema,
  'red-flags.schema.json': redFlagsFileSchema,
};

/** The schema files, by name, as the text written to schemas/. */
export function jsonSchemaFiles(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(CONTENT_SCHEMAS).map(([name, schema]) => [
      name,
      `${JSON.stringify({ ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }), title: name.replace('.schema.json', '') }, null, 2)}\n`,
    ]),
  );
}
