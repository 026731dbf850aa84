import path from 'node:path';
import { RED_FLAGS_FILE } from '../content/offer-checker.ts';
import { redFlagsFileSchema } from '../content/red-flag-schema.ts';
import type { FlowProblem } from '../content/flow-problem.ts';
import { YamlSource } from '../content/yaml-source.ts';
import type { Check } from './lint-context.ts';

/** The red-flag patterns must be valid, and every explanation must exist in every language. */
export const checkRedFlags: Check = ({ contentDir, translator }) => {
  const file = path.join(contentDir, RED_FLAGS_FILE);
  const source = new YamlSource(file);
  if (source.errors.length > 0) return source.syntaxProblems();
  const parsed = redFlagsFileSchema.safeParse(source.value);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => ({
      severity: 'error',
      rule: 'schema',
      file,
      line: source.lineOf(issue.path),
      message: `${issue.path.join('.')}: ${issue.message}`,
    }));
  }
  const problems: FlowProblem[] = [];
  parsed.data.flags.forEach((flag, index) => {
    for (const language of translator.languages) {
      if (translator.has(flag.explanation, language)) continue;
      problems.push({
        severity: 'error',
        rule: 'missing-locale-key',
        file,
        line: source.lineOf(['flags', index, 'explanation']),
        message: `red flag "${flag.id}": locale key "${flag.explanation}" is missing in language "${language}"`,
      });
    }
  });
  return problems;
};
