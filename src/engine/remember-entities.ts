import type { Inbound } from '../messages/inbound.ts';
import type { PlaceDirectory } from '../places/place-directory.ts';
import type { Session } from './session.ts';

/**
 * Messages whose country is where the person is. Elsewhere a country is usually where they
 * want to go ("mau kerja ke taiwan") or part of a pasted job offer.
 */
const LOCATION_INTENTS = new Set(['emergency', 'find_services', 'talk_to_human']);

/**
 * Keeps what a message names that a flow will need, so nobody is asked twice: the country
 * a person is in (for hotlines and emergencies: "sy di malaysia dikurung" gets Malaysia's
 * numbers at once) and a company to check ("PT Bunga Mas resmi gak?"). A country already
 * known is not replaced, and the company lives only until the check uses it.
 */
export function rememberEntities(session: Session, inbound: Inbound, places: PlaceDirectory): void {
  // Where the person first came from (a deep link on a poster), for the NGO's statistics.
  if (inbound.source && session.vars.source === undefined) session.vars.source = inbound.source;
  delete session.vars.mentioned_agency;
  const entities = inbound.nlu?.entities;
  if (!entities) return;
  if (entities.agency) session.vars.mentioned_agency = entities.agency;
  const whereTheyAre = inbound.nlu?.emergency === true || LOCATION_INTENTS.has(inbound.nlu?.intent ?? '');
  const country = entities.country === undefined ? undefined : places.get('country', entities.country);
  if (country && session.vars.country === undefined && whereTheyAre) {
    // The same variables a "which country are you in?" answer sets.
    session.vars.country = country.code;
    session.vars.country_name = country.name;
  }
}
