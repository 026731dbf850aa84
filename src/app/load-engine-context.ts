import path from 'node:path';
import { builtInActions } from '../engine/actions/built-in-actions.ts';
import { loadAgencyList } from '../content/agency-list.ts';
import { loadAnswerBank } from '../content/answer-bank.ts';
import { loadContacts } from '../content/contact-directory.ts';
import type { EngineContext } from '../engine/engine-context.ts';
import { loadFlows } from '../flows/load-flows.ts';
import { loadTranslator } from '../content/translator.ts';
import { loadOfferChecker } from '../content/offer-checker.ts';
import { loadPlaces } from '../content/place-directory.ts';
import { type ContentPaths, SHIPPED_CONTENT } from '../config/content-paths.ts';

/** Reads flows, locales and content once at start; a broken file stops start-up with its name. */
export function loadEngineContext(paths: ContentPaths = SHIPPED_CONTENT): EngineContext {
  const contacts = loadContacts(paths.content);
  return {
    flows: loadFlows(paths.flows),
    translator: loadTranslator(paths.locales),
    contacts,
    answers: loadAnswerBank(paths.content, contacts),
    places: loadPlaces(path.join(paths.content, 'places')),
    offers: loadOfferChecker(paths.content),
    agencies: loadAgencyList(paths.content),
    actions: builtInActions(),
  };
}
