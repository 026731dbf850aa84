import type { VariableValue } from '../flows/flow-schema.ts';
import { isSituationVariable, setSituationVariable, unsetSituationVariable } from './situation.ts';
import type { Turn } from './turn.ts';

/**
 * Sets variables; `language` is kept on the session and only takes a language Pelita
 * speaks; the situation's variables ("country", "home", "stage"...) go to its typed record.
 */
export function setVariables(turn: Turn, values: Record<string, VariableValue>): void {
  for (const [name, value] of Object.entries(values)) {
    if (name === 'language') {
      if (typeof value === 'string' && turn.ctx.translator.languages.includes(value)) turn.session.language = value;
    } else if (isSituationVariable(name)) {
      turn.session.situation ??= {};
      setSituationVariable(turn.session.situation, name, value);
    } else {
      turn.session.vars[name] = value;
    }
  }
}

export function unsetVariables(turn: Turn, names: readonly string[]): void {
  for (const name of names) {
    if (name === 'language') delete turn.session.language;
    else if (isSituationVariable(name)) {
      if (turn.session.situation) unsetSituationVariable(turn.session.situation, name);
    } else delete turn.session.vars[name];
  }
}
