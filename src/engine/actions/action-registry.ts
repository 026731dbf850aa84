import type { z } from 'zod';
import type { AgencyList } from '../../content/agency-list.ts';
import type { ContactDirectory } from '../../content/contact-directory.ts';
import type { VariableValue } from '../../flows/flow-schema.ts';
import type { OfferChecker } from '../../content/offer-checker.ts';
import type { PlaceDirectory } from '../../content/place-directory.ts';

/** What an action may read: content and the person's language, never I/O. */
export interface ActionContext {
  places: PlaceDirectory;
  contacts: ContactDirectory;
  offers: OfferChecker;
  agencies: AgencyList;
  /** The person's language. */
  language: string;
  /** Translates into the person's language: actions that explain something use locale keys too. */
  t(key: string, values?: Record<string, string | number>): string;
}

/**
 * A named TypeScript function a flow can call. Inputs and outputs are typed with zod, so
 * the linter can check a flow's `inputs` and `outputs` against them.
 */
export interface ActionDefinition<Input = unknown> {
  name: string;
  description: string;
  input: z.ZodObject<z.ZodRawShape> & z.ZodType<Input>;
  /** The names of the result fields. */
  outputs: readonly string[];
  run(input: Input, ctx: ActionContext): Record<string, VariableValue>;
}

export class ActionRegistry {
  private readonly actions = new Map<string, ActionDefinition>();

  constructor(actions: ActionDefinition<never>[] = []) {
    for (const action of actions) this.register(action);
  }

  register<Input>(action: ActionDefinition<Input>): void {
    if (this.actions.has(action.name)) throw new Error(`action "${action.name}" is registered twice`);
    // Stored without its input type: callers validate with `action.input` before running.
    this.actions.set(action.name, action as unknown as ActionDefinition);
  }

  get(name: string): ActionDefinition | undefined {
    return this.actions.get(name);
  }

  names(): string[] {
    return [...this.actions.keys()].sort();
  }
}
