import { messageOf } from '../core/log/error-message.ts';
import path from 'node:path';
import { builtInActions } from '../engine/actions/built-in-actions.ts';
import { readContacts } from '../content/contact-directory.ts';
import { loadTranslator } from '../content/translator.ts';
import type { FlowProblem } from '../content/flow-problem.ts';
import { readFlows } from '../flows/load-flows.ts';
import { checkActions } from './check-actions.ts';
import { checkAnswerBank } from './check-answer-bank.ts';
import { checkChannelLimits } from './check-channel-limits.ts';
import { checkContactReferences, checkPhoneNumbers } from './check-contacts.ts';
import { checkLocaleKeys } from './check-locale-keys.ts';
import { checkQuestions } from './check-questions.ts';
import { checkReachability } from './check-reachability.ts';
import { checkRedFlags } from './check-red-flags.ts';
import type { Check } from './lint-context.ts';

const CHECKS: Check[] = [
  checkReachability,
  checkQuestions,
  checkActions,
  checkLocaleKeys,
  checkChannelLimits,
  checkContactReferences,
  checkPhoneNumbers,
  checkRedFlags,
  checkAnswerBank,
];

/** Everything `pelita flows check` reports, for flows, locales and content together, in file order. */
export function lintContent(paths: { flows: string; locales: string; content: string }): FlowProblem[] {
  const { set: flows, problems } = readFlows(paths.flows);
  const { directory: contacts, problems: contactProblems } = readContacts(paths.content);
  problems.push(...contactProblems);
  let translator: ReturnType<typeof loadTranslator> | undefined;
  try {
    translator = loadTranslator(paths.locales);
  } catch (error) {
    problems.push({ severity: 'error', rule: 'locales', file: paths.locales, message: messageOf(error) });
  }
  if (translator) {
    const context = {
      flows,
      translator,
      contacts,
      actions: builtInActions(),
      flowsDir: paths.flows,
      localesDir: paths.locales,
      contentDir: paths.content,
    };
    for (const check of CHECKS) problems.push(...check(context));
  }
  return problems.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || a.rule.localeCompare(b.rule));
}

/** Paths inside the project are shown relative to it; others stay absolute. */
export function relativeTo(root: string, problem: FlowProblem): FlowProblem {
  const relative = path.relative(root, problem.file);
  return relative === '' || relative.startsWith('..') ? problem : { ...problem, file: relative };
}
