import type { ActionRegistry } from './actions/action-registry.ts';
import type { AgencyList } from '../content/agency-list.ts';
import type { AnswerBank } from '../content/answer-bank.ts';
import type { ContactDirectory } from '../content/contact-directory.ts';
import type { FlowSet } from '../flows/flow-set.ts';
import type { Translator } from '../content/translator.ts';
import type { OfferChecker } from '../content/offer-checker.ts';
import type { PlaceDirectory } from '../content/place-directory.ts';

/** Everything the engine reads besides the session and the message: content, loaded once. */
export interface EngineContext {
  flows: FlowSet;
  translator: Translator;
  contacts: ContactDirectory;
  places: PlaceDirectory;
  offers: OfferChecker;
  agencies: AgencyList;
  actions: ActionRegistry;
  /** Sourced answers to typed questions (content/answers/); without it, questions get the menus. */
  answers?: AnswerBank;
  /**
   * Whether a human answers cases here (an operators' channel is configured). Without one
   * Pelita never promises a human answer; flows read it as the `case_workers` variable.
   */
  caseWorkers?: boolean;
  /** Months after which a contact's newest source is labelled as old next to the number. */
  contactSourceMaxAgeMonths?: number;
  /** At most this many alerts a week to one person: sentences read it as `alerts_per_week` (the consent says it). */
  alertsPerWeek?: number;
  /** Nodes run for one message before a loop is declared; keeps a content mistake from hanging a worker. */
  maxSteps?: number;
}
