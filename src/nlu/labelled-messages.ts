import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { ContentError } from '../content/content-error.ts';

export const labelledMessageSchema = z
  .object({ text: z.coerce.string(), language: z.string(), intent: z.string(), emergency: z.boolean() })
  .strict();
export type LabelledMessage = z.infer<typeof labelledMessageSchema>;

const labelledSetSchema = z.object({ messages: z.array(labelledMessageSchema) });

/** Reads a labelled set; a malformed one names the file and where in it, so a set writer can fix it. */
export function loadLabelledMessages(file: string): LabelledMessage[] {
  const result = labelledSetSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw new ContentError(
      file,
      `not a labelled set ("messages:" then a list of { text, language, intent, emergency }): ${problems.slice(0, 3).join('; ')}`,
    );
  }
  return result.data.messages;
}
