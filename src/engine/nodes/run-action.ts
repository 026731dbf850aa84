import { messageOf } from '../../core/log/error-message.ts';
import type { ActionNode, VariableValue } from '../../flows/flow-schema.ts';
import { readVariable } from '../conditions.ts';
import { setVariables } from '../set-variables.ts';
import { languageOf, type NodeOutcome, type Turn } from '../turn.ts';

const VARIABLE_REFERENCE = /^\{\{\s*([a-z][a-z0-9_]*)\s*\}\}$/;

/**
 * Replaces "{{name}}" strings (also inside lists) with the session variable's value;
 * "{{message}}" is the text of the message being answered, which is never stored.
 */
function resolveInput(value: unknown, turn: Turn): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveInput(item, turn));
  if (typeof value === 'string') {
    const reference = value.match(VARIABLE_REFERENCE);
    if (reference?.[1] === 'message') return turn.inbound.text ?? '';
    if (reference) return readVariable(turn, reference[1]!);
  }
  return value;
}

/**
 * `action`: runs a named function from the registry with typed inputs and keeps the
 * outputs it names. Actions are pure, like the engine; a bad input or a thrown error goes
 * to `on_error`, or becomes the content-error fallback.
 */
export function runAction(node: ActionNode, turn: Turn): NodeOutcome {
  const action = turn.ctx.actions.get(node.action);
  if (!action) return { kind: 'error', message: `action "${node.action}" is not in the registry`, target: node.on_error };
  const inputs = Object.fromEntries(Object.entries(node.inputs ?? {}).map(([name, value]) => [name, resolveInput(value, turn)]));
  const parsed = action.input.safeParse(inputs);
  if (!parsed.success) {
    return {
      kind: 'error',
      message: `action "${node.action}": bad input: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
      target: node.on_error,
    };
  }
  let output: Record<string, VariableValue>;
  try {
    const language = languageOf(turn);
    output = action.run(parsed.data, {
      places: turn.ctx.places,
      contacts: turn.ctx.contacts,
      offers: turn.ctx.offers,
      agencies: turn.ctx.agencies,
      language,
      t: (key, values) => turn.ctx.translator.t(key, language, values),
    });
  } catch (error) {
    return { kind: 'error', message: `action "${node.action}" failed: ${messageOf(error)}`, target: node.on_error };
  }
  for (const [field, variable] of Object.entries(node.outputs ?? {})) {
    const value = output[field];
    if (value !== undefined) setVariables(turn, { [variable]: value });
  }
  return { kind: 'next', target: node.next };
}
