import type { Inbound } from '../core/messages/inbound.ts';
import type { PlaceDirectory } from '../content/place-directory.ts';
import { MAX_QUESTION_CHARS, type AnswerRetriever } from './answer-retriever.ts';
import { findEntities } from './entities.ts';
import type { Nlu } from './nlu.ts';

export type Understood = NonNullable<Inbound['nlu']>;

/**
 * What the NLU understood of a typed message: language, intent, danger and what it names.
 * `language` is the person's stored language, the prior for telling languages apart. The
 * figures Pelita reports (`pelita nlu --evaluate`, `npm run bench`) are taken from this, so
 * they measure what the engine is given.
 */
export async function understandText(
  nlu: Nlu,
  text: string,
  language: string | undefined,
  places: PlaceDirectory,
  answers?: AnswerRetriever,
): Promise<Understood> {
  const {
    language: detected,
    languageConfidence,
    intent,
    confidence,
    emergency,
    emergencyByRule,
    emergencyKind,
    intentIfSafe,
  } = await nlu.analyse(text, language);
  const entities = findEntities(text, places);
  // The cards it may be asking for, best first: the engine decides whether one answers it.
  const found = text.length <= MAX_QUESTION_CHARS ? answers?.find(text) : undefined;
  const cards = found?.card ? { answers: [{ card: found.card, confidence: found.confidence }, ...found.alternatives] } : {};
  // "sy di indramayu" says where, nothing more: the classifier's score alone is no alarm.
  if (emergency && !emergencyByRule && entities.situation?.placeOnly) {
    return { language: detected, languageConfidence, intent: 'unknown', confidence: 0, emergency: false, emergencyByRule, entities };
  }
  return {
    language: detected,
    languageConfidence,
    intent,
    confidence,
    emergency,
    emergencyByRule,
    ...(emergencyKind ? { emergencyKind } : {}),
    ...(intentIfSafe ? { intentIfSafe } : {}),
    entities,
    ...cards,
  };
}

/** Attaches what the NLU understood of a typed message (a pressed button needs none). */
export async function understand(
  nlu: Nlu | undefined,
  inbound: Inbound,
  language: string | undefined,
  places: PlaceDirectory,
  answers?: AnswerRetriever,
): Promise<Inbound> {
  // A bare number ("2") answers a menu: it has no language, intent or danger to find.
  if (!nlu || inbound.text === undefined || inbound.choice !== undefined || /^[\s\d.,)]*$/.test(inbound.text)) return inbound;
  return { ...inbound, nlu: await understandText(nlu, inbound.text, language, places, answers) };
}
