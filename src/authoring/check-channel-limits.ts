import { MENU_LIMITS, whatsappMenuStyle } from '../core/menu-limits.ts';
import { choicesOf } from '../engine/render-reply.ts';
import type { FlowProblem } from '../content/flow-problem.ts';
import { isQuestion } from '../flows/flow-schema.ts';
import { eachNode, type Check } from './lint-context.ts';

/**
 * Menus must fit every channel: what no renderer can show is an error; what WhatsApp
 * must fall back to a numbered text menu for, or what is too long to read on a small
 * phone, is a warning.
 */
export const checkChannelLimits: Check = ({ flows, translator }) => {
  const problems: FlowProblem[] = [];
  for (const { flowId, nodeId, node, file, line } of eachNode(flows)) {
    if (!isQuestion(node)) continue;
    const at = `${flowId}:${nodeId}`;
    const choices = choicesOf(node);
    for (const choice of choices) {
      if (Buffer.byteLength(choice.id) > MENU_LIMITS.telegramCallbackBytes) {
        problems.push({
          severity: 'error',
          rule: 'menu-limit',
          file,
          line,
          node: at,
          message: `choice id "${choice.id}" is over Telegram's ${MENU_LIMITS.telegramCallbackBytes}-byte callback data`,
        });
      }
    }
    if (choices.length > MENU_LIMITS.whatsappList.maxChoices) {
      problems.push({
        severity: 'error',
        rule: 'menu-limit',
        file,
        line,
        node: at,
        message: `${choices.length} choices: WhatsApp lists hold ${MENU_LIMITS.whatsappList.maxChoices}`,
      });
    } else if (choices.length > MENU_LIMITS.readableMaxChoices) {
      problems.push({
        severity: 'warning',
        rule: 'menu-length',
        file,
        line,
        node: at,
        message: `${choices.length} choices: keep menus to ${MENU_LIMITS.readableMaxChoices} for small screens`,
      });
    }
    for (const language of translator.languages) {
      const labels = choices.map((choice) => translator.t(choice.label, language));
      if (whatsappMenuStyle(labels) !== 'numbered-text') continue;
      const longest = labels.reduce((a, b) => (Array.from(b).length > Array.from(a).length ? b : a), '');
      problems.push({
        severity: 'warning',
        rule: 'menu-limit',
        file,
        line,
        node: at,
        message: `in "${language}", "${longest}" is ${[...longest].length} characters: WhatsApp shows a numbered text menu instead of a list (rows hold ${MENU_LIMITS.whatsappList.maxTitle})`,
      });
    }
  }
  return problems;
};
