import type { Condition, VariableValue } from '../flows/flow-schema.ts';
import type { Session } from './session.ts';

/** A session variable as flows see it; `language` lives on the session itself. */
export function readVariable(session: Session, name: string): VariableValue | undefined {
  return name === 'language' ? session.language : session.vars[name];
}

/** Evaluates a structured condition. No expressions, no eval: only these forms exist. */
export function holds(condition: Condition, session: Session): boolean {
  if ('exists' in condition) return readVariable(session, condition.exists) !== undefined;
  if ('equals' in condition) return readVariable(session, condition.equals[0]) === condition.equals[1];
  if ('in' in condition) {
    const value = readVariable(session, condition.in[0]);
    return value !== undefined && condition.in[1].includes(value);
  }
  if ('gte' in condition) {
    const value = readVariable(session, condition.gte[0]);
    return typeof value === 'number' && value >= condition.gte[1];
  }
  if ('lte' in condition) {
    const value = readVariable(session, condition.lte[0]);
    return typeof value === 'number' && value <= condition.lte[1];
  }
  if ('all' in condition) return condition.all.every((inner) => holds(inner, session));
  if ('any' in condition) return condition.any.some((inner) => holds(inner, session));
  return !holds(condition.not, session);
}
