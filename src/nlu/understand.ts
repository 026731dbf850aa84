import type { Inbound } from '../messages/inbound.ts';
import type { PlaceDirectory } from '../places/place-directory.ts';
import { findEntities } from './entities.ts';
import type { Nlu } from './nlu.ts';

/**
 * Attaches what the NLU understood of a typed message (a pressed button needs none).
 * `language` is the person's stored language, the prior for telling languages apart.
 */
export async function understand(nlu: Nlu | undefined, inbound: Inbound, language: string | undefined, places: PlaceDirectory): Promise<Inbound> {
  // A bare number ("2") answers a menu: it has no language, intent or danger to find.
  if (!nlu || inbound.text === undefined || inbound.choice !== undefined || /^[\s\d.,)]*$/.test(inbound.text)) return inbound;
  const { language: detected, languageConfidence, intent, confidence, emergency, emergencyByRule, emergencyKind } = await nlu.analyse(inbound.text, language);
  const entities = findEntities(inbound.text, places);
  return {
    ...inbound,
    nlu: { language: detected, languageConfidence, intent, confidence, emergency, emergencyByRule, ...(emergencyKind ? { emergencyKind } : {}), entities },
  };
}
