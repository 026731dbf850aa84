import type { Inbound } from '../core/messages/inbound.ts';
import { setSituationVariable, whereabouts, type Situation } from './situation.ts';
import type { Session } from './session.ts';

/**
 * Messages whose country, named without "di"/"ke", is where the person is. Elsewhere such
 * a country is usually where they want to go or part of a pasted offer.
 */
const LOCATION_INTENTS = new Set(['emergency', 'find_services', 'talk_to_human']);
/** Longer than this, a message is a pasted text (an offer, a forwarded story), not the person's own situation. */
const MAX_SITUATION_TEXT = 400;

/**
 * Keeps what a message says that a flow will need, so nobody is asked twice: where the
 * person is now (updated by every message that says so: "sekarang saya sudah di Batam"),
 * their destination, stage and sector, whether they write about someone else in danger,
 * and a company to check ("PT Bunga Mas resmi gak?"). `readingText`: the message answers a
 * question for free text (a pasted offer), whose places are not the person's.
 */
export function rememberEntities(session: Session, inbound: Inbound, readingText: boolean): void {
  // Where the person first came from (a deep link on a poster), for the NGO's statistics.
  if (inbound.source && session.vars.source === undefined) session.vars.source = inbound.source;
  delete session.vars.mentioned_agency;
  const nlu = inbound.nlu;
  const entities = nlu?.entities;
  if (!nlu || !entities) return;
  if (entities.agency) session.vars.mentioned_agency = entities.agency;
  const cues = entities.situation;
  const pasted = readingText || (inbound.text?.length ?? 0) > MAX_SITUATION_TEXT;
  if (!cues || pasted) return;
  session.situation ??= {};
  const situation: Situation = session.situation;
  // An offer's places are the job's, not the person's, but for the home they say is theirs:
  // then the offer's advice already gives contacts as dialled from there.
  if (nlu.intent === 'check_job_offer') {
    const home = cues.here ?? cues.origin;
    if (home && home.kind !== 'country' && cues.ownPlace === true)
      setSituationVariable(situation, home.kind === 'district' ? 'home' : 'province', home.code);
    return;
  }

  // "kakak sy di dubai udh seminggu gk ada kabar": a relative's place, stage and work, not
  // the writer's. Only danger makes the other person's place the one that matters (below);
  // else only where they plan to go is kept (a parent asking for a child who wants to leave),
  // unless the writer also says where they are themselves.
  if (!nlu.emergency && cues.aboutOther && !cues.ownPlace === true) {
    if (cues.destination) setSituationVariable(situation, 'destination', cues.destination);
    return;
  }
  if (nlu.emergency) {
    // Someone else in danger: the place that matters is theirs, and is unknown until said.
    const aboutOther = cues.aboutOther === true;
    const namesPlace = cues.here !== undefined || cues.mentioned !== undefined || cues.atSea === true;
    if (aboutOther && !situation.aboutOther && !namesPlace) forgetPlace(situation);
    setSituationVariable(situation, 'about_other', aboutOther);
  }
  const place =
    cues.here ??
    (cues.mentioned && (nlu.emergency || LOCATION_INTENTS.has(nlu.intent))
      ? { kind: 'country' as const, code: cues.mentioned }
      : undefined);
  if (place)
    setSituationVariable(situation, place.kind === 'country' ? 'country' : place.kind === 'district' ? 'home' : 'province', place.code);
  else if (cues.origin && whereabouts(situation) !== 'abroad' && whereabouts(situation) !== 'at_sea') {
    setSituationVariable(situation, cues.origin.kind === 'district' ? 'home' : 'province', cues.origin.code);
  }
  if (cues.atSea) setSituationVariable(situation, 'at_sea', true);
  if (cues.destination) setSituationVariable(situation, 'destination', cues.destination);
  if (cues.stage) setSituationVariable(situation, 'stage', cues.stage);
  if (cues.sector) setSituationVariable(situation, 'sector', cues.sector);
}

function forgetPlace(situation: Situation): void {
  delete situation.country;
  delete situation.district;
  delete situation.province;
  delete situation.atSea;
}
