import { choicesOf } from '../engine/render-reply.ts';
import { ENGINE_KEYS, INVALID_KEYS } from '../engine/engine-keys.ts';
import type { FlowProblem } from '../content/flow-problem.ts';
import { isQuestion, type FlowNode } from '../flows/flow-schema.ts';
import { eachNode, type Check } from './lint-context.ts';

/** The locale keys a node shows, its own and the engine's for it. */
function keysOf(node: FlowNode): string[] {
  const keys: string[] = [];
  if (node.type === 'say' || node.type === 'ask') keys.push(node.text);
  if (node.type === 'ask' && node.invalid) keys.push(node.invalid);
  if (node.type === 'subscribe_alerts') keys.push(node.consent);
  if (isQuestion(node)) {
    keys.push(...choicesOf(node).map((choice) => choice.label));
    if (!(node.type === 'ask' && node.invalid)) keys.push(INVALID_KEYS[node.type === 'ask' ? node.input : 'menu']);
  }
  return keys;
}

/**
 * Every key a flow shows must exist in every language: a missing one would show the
 * person a raw key, or the wrong language. Keys only some languages have are reported
 * as warnings, so translators see what is left to do.
 */
export const checkLocaleKeys: Check = ({ flows, translator, localesDir }) => {
  const problems: FlowProblem[] = [];
  const reported = new Set<string>();
  const require = (key: string, where: { file: string; line: number | undefined; node?: string }) => {
    for (const language of translator.languages) {
      if (translator.has(key, language) || reported.has(`${key}|${language}`)) continue;
      reported.add(`${key}|${language}`);
      problems.push({
        severity: 'error',
        rule: 'missing-locale-key',
        ...where,
        message: `locale key "${key}" is missing in language "${language}" (${translator.fileOf(key, language)})`,
      });
    }
  };
  for (const key of ENGINE_KEYS) require(key, { file: localesDir, line: undefined });
  for (const { flowId, nodeId, node, file, line } of eachNode(flows)) {
    for (const key of keysOf(node)) require(key, { file, line, node: `${flowId}:${nodeId}` });
  }
  const all = new Set(translator.languages.flatMap((language) => translator.keys(language)));
  for (const key of all) {
    for (const language of translator.languages) {
      if (translator.has(key, language) || reported.has(`${key}|${language}`)) continue;
      problems.push({
        severity: 'warning',
        rule: 'untranslated-key',
        file: translator.fileOf(key, language),
        message: `"${key}" exists in another language but not in "${language}"`,
      });
    }
  }
  return problems;
};
