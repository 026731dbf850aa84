import { ActionRegistry } from './action-registry.ts';
import { countTrue } from './count-true.ts';

/** Every action flows may call. Adding one: a file in this folder, and a line here. */
export function builtInActions(): ActionRegistry {
  const registry = new ActionRegistry();
  registry.register(countTrue);
  return registry;
}
