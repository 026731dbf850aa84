import type { ActionRegistry } from '../actions/action-registry.ts';
import type { AgencyList } from '../agencies/agency-list.ts';
import type { ContactDirectory } from '../content/contact-directory.ts';
import type { FlowSet } from '../flows/flow-set.ts';
import type { Translator } from '../i18n/translator.ts';
import type { OfferChecker } from '../offers/offer-checker.ts';
import type { PlaceDirectory } from '../places/place-directory.ts';

/** Everything the engine reads besides the session and the message: content, loaded once. */
export interface EngineContext {
  flows: FlowSet;
  translator: Translator;
  contacts: ContactDirectory;
  places: PlaceDirectory;
  offers: OfferChecker;
  agencies: AgencyList;
  actions: ActionRegistry;
  /** Nodes run for one message before a loop is declared; keeps a content mistake from hanging a worker. */
  maxSteps?: number;
}
