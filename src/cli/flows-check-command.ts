import { contentPathsFrom, PACKAGE_ROOT } from '../config/content-paths.ts';
import { formatProblem } from '../content/flow-problem.ts';
import { lintContent, relativeTo } from '../authoring/lint-content.ts';

/**
 * `pelita flows check`: every mistake in flows, locales and content, before a person meets
 * it. Exit 1 on any error, 0 when clean (warnings do not fail). Paths can be pointed at a
 * copy with PELITA_FLOWS_DIR, PELITA_LOCALES_DIR and PELITA_CONTENT_DIR.
 */
export function flowsCheckCommand(json: boolean, env: NodeJS.ProcessEnv = process.env): number {
  const problems = lintContent(contentPathsFrom(env)).map((problem) => relativeTo(PACKAGE_ROOT, problem));
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  if (json) {
    process.stdout.write(`${JSON.stringify({ ok: errors === 0, errors, warnings: problems.length - errors, problems })}\n`);
  } else {
    for (const problem of problems) process.stdout.write(`${formatProblem(problem)}\n`);
    process.stdout.write(`${errors} error(s), ${problems.length - errors} warning(s)\n`);
  }
  return errors === 0 ? 0 : 1;
}
