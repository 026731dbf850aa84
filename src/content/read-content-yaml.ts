import { messageOf } from '../core/log/error-message.ts';
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { YamlSource } from './yaml-source.ts';
import { ContentError } from './content-error.ts';

/** Reads a YAML content file and checks it against `schema`; a mistake names the file, line and field. */
export function readContentYaml<T>(file: string, schema: z.ZodType<T>): T {
  let source: YamlSource;
  try {
    source = new YamlSource(file);
  } catch (error) {
    // A file that cannot be read at all (missing, unreadable).
    throw new ContentError(file, messageOf(error));
  }
  const yamlError = source.errors[0];
  if (yamlError) throw new ContentError(file, `YAML: ${yamlError.message}`, yamlError.line);
  const parsed = schema.safeParse(source.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    throw new ContentError(
      file,
      `${field ? `${field}: ` : ''}${issue?.message ?? 'invalid'}`,
      issue ? source.lineOf(issue.path) : undefined,
    );
  }
  return parsed.data;
}

/** Reads a text content file, or a ContentError naming it. */
export function readContentText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ContentError(file, messageOf(error));
  }
}
