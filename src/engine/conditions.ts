import type { Condition, VariableValue } from '../flows/flow-schema.ts';
import type { EngineContext } from './engine-context.ts';
import type { Session } from './session.ts';
import { isSituationVariable, readSituationVariable } from './situation.ts';

/** What a variable is read from: the session, and the deployment's facts (is anyone answering cases?). */
export interface VariableScope {
  readonly session: Session;
  readonly ctx: Pick<EngineContext, 'caseWorkers'>;
}

/**
 * A variable as flows see it: `language` lives on the session itself, the situation's
 * variables on its typed record, `case_workers` says whether a human answers cases here.
 */
export function readVariable(scope: VariableScope, name: string): VariableValue | undefined {
  const { session } = scope;
  if (name === 'language') return session.language;
  if (name === 'case_workers') return scope.ctx.caseWorkers === true;
  if (isSituationVariable(name)) return readSituationVariable(session.situation ?? {}, name);
  return session.vars[name];
}

/** Evaluates a structured condition. No expressions, no eval: only these forms exist. */
export function holds(condition: Condition, scope: VariableScope): boolean {
  if ('exists' in condition) return readVariable(scope, condition.exists) !== undefined;
  if ('equals' in condition) return readVariable(scope, condition.equals[0]) === condition.equals[1];
  if ('in' in condition) {
    const value = readVariable(scope, condition.in[0]);
    return value !== undefined && condition.in[1].includes(value);
  }
  if ('gte' in condition) {
    const value = readVariable(scope, condition.gte[0]);
    return typeof value === 'number' && value >= condition.gte[1];
  }
  if ('lte' in condition) {
    const value = readVariable(scope, condition.lte[0]);
    return typeof value === 'number' && value <= condition.lte[1];
  }
  if ('all' in condition) return condition.all.every((inner) => holds(inner, scope));
  if ('any' in condition) return condition.any.some((inner) => holds(inner, scope));
  return !holds(condition.not, scope);
}
