import { ActionRegistry } from './action-registry.ts';
import { checkOffer } from './check-offer.ts';
import { countTrue } from './count-true.ts';
import { findAgency } from './find-agency.ts';
import { findHotlines } from './find-hotlines.ts';
import { findServices } from './find-services.ts';

/** Every action flows may call. Adding one: a file in this folder, and a line here. */
export function builtInActions(): ActionRegistry {
  const registry = new ActionRegistry();
  registry.register(countTrue);
  registry.register(findServices);
  registry.register(findHotlines);
  registry.register(checkOffer);
  registry.register(findAgency);
  return registry;
}
