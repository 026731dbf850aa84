import { z } from 'zod';
import type { VariableValue } from '../flows/flow-schema.ts';
import { SECTORS, STAGES } from '../core/messages/inbound.ts';
import type { PlaceDirectory } from '../content/place-directory.ts';

/**
 * What Pelita knows of the person's situation, from anything they said at any time: where
 * they are now, where they want to go, their stage and their sector. Every flow reads it
 * (hotlines, services, complaints, cases), so nobody is asked twice and nobody in Malaysia
 * gets Indonesian police numbers. When they write about someone else in danger ("my friend
 * is locked in"), `aboutOther` is set and the place is where that person is.
 */
export const situationSchema = z
  .object({
    /** ISO code of the country they are in now; ID inside Indonesia. */
    country: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    /** Kemendagri code of their Indonesian district (then `country` is ID). */
    district: z
      .string()
      .regex(/^\d{2}\.\d{2}$/)
      .optional(),
    /** Kemendagri code of their Indonesian province, when only the province is known. */
    province: z
      .string()
      .regex(/^\d{2}$/)
      .optional(),
    /** On a boat or ship, at sea: no country's phone network may reach them. */
    atSea: z.boolean().optional(),
    /** Where they plan to go or went to work (ISO code). */
    destination: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    stage: z.enum(STAGES).optional(),
    sector: z.enum(SECTORS).optional(),
    /** They asked for someone else: the place above is that person's. */
    aboutOther: z.boolean().optional(),
  })
  .strict();
export type Situation = z.infer<typeof situationSchema>;

/**
 * The situation as flows see it: variables with these names read and write the record.
 * `country_name`, `home_name`, `home_province`, `where` and `destination_name` are derived
 * and cannot be set.
 */
export const SITUATION_VARIABLES = [
  'country',
  'country_name',
  'home',
  'home_name',
  'home_province',
  'province',
  'at_sea',
  'where',
  'destination',
  'destination_name',
  'stage',
  'sector',
  'about_other',
] as const;
const SITUATION_NAMES: ReadonlySet<string> = new Set(SITUATION_VARIABLES);

export function isSituationVariable(name: string): boolean {
  return SITUATION_NAMES.has(name);
}

/** Where the person is, in one word flows can branch on. */
export type Whereabouts = 'at_sea' | 'abroad' | 'indonesia';

export function whereabouts(situation: Situation): Whereabouts | undefined {
  if (situation.atSea) return 'at_sea';
  if (situation.country === 'ID' || situation.district || situation.province) return 'indonesia';
  return situation.country ? 'abroad' : undefined;
}

/** A situation variable's value, for conditions and action inputs (codes, not names). */
export function readSituationVariable(situation: Situation, name: string): VariableValue | undefined {
  switch (name) {
    case 'country':
      return situation.country ?? (situation.district || situation.province ? 'ID' : undefined);
    case 'home':
      return situation.district;
    case 'home_province':
    case 'province':
      return situation.province ?? situation.district?.slice(0, 2);
    case 'at_sea':
      return situation.atSea;
    case 'where':
      return whereabouts(situation);
    case 'destination':
      return situation.destination;
    case 'stage':
      return situation.stage;
    case 'sector':
      return situation.sector;
    case 'about_other':
      return situation.aboutOther;
    default:
      return undefined;
  }
}

/** The names shown in sentences ("Nomor bantuan di {{country_name}}"), in the person's language. */
export function situationNames(situation: Situation, places: PlaceDirectory, language: string): Record<string, string> {
  const names: Record<string, string> = {};
  const country = readSituationVariable(situation, 'country');
  if (typeof country === 'string') names.country_name = places.nameOf('country', country, language) ?? country;
  if (situation.district) names.home_name = places.nameOf('district', situation.district, language) ?? situation.district;
  // The most precise place said: the district, else the country.
  const placeNow = names.home_name ?? names.country_name;
  if (placeNow) names.place_now = placeNow;
  if (situation.destination) names.destination_name = places.nameOf('country', situation.destination, language) ?? situation.destination;
  return names;
}

/**
 * Sets one situation variable as a flow or an answer does. A new place replaces the old
 * one whole ("sekarang saya sudah di Batam" after "saya di Malaysia"): a country abroad
 * clears the Indonesian district, a district sets Indonesia.
 */
export function setSituationVariable(situation: Situation, name: string, value: VariableValue): void {
  switch (name) {
    case 'country':
      if (typeof value !== 'string' || !/^[A-Z]{2}$/.test(value)) return;
      if (value !== 'ID' || situation.country !== 'ID') {
        delete situation.district;
        delete situation.province;
      }
      situation.country = value;
      delete situation.atSea;
      return;
    case 'home':
      if (typeof value !== 'string' || !/^\d{2}\.\d{2}$/.test(value)) return;
      situation.district = value;
      delete situation.province;
      situation.country = 'ID';
      delete situation.atSea;
      return;
    case 'province':
    case 'home_province':
      // A district's province is derived; a province alone is kept when no district is known.
      if (typeof value !== 'string' || !/^\d{2}$/.test(value) || situation.district?.startsWith(value)) return;
      delete situation.district;
      situation.province = value;
      situation.country = 'ID';
      delete situation.atSea;
      return;
    case 'at_sea':
      if (value === true) situation.atSea = true;
      else delete situation.atSea;
      return;
    case 'destination':
      if (typeof value === 'string' && /^[A-Z]{2}$/.test(value)) situation.destination = value;
      return;
    case 'stage': {
      const stage = STAGES.find((known) => known === value);
      if (stage) situation.stage = stage;
      return;
    }
    case 'sector': {
      const sector = SECTORS.find((known) => known === value);
      if (sector) situation.sector = sector;
      return;
    }
    case 'about_other':
      if (value === true) situation.aboutOther = true;
      else delete situation.aboutOther;
      return;
    default:
      // Derived names (country_name, home_name, where...) follow from the codes.
      return;
  }
}

export function unsetSituationVariable(situation: Situation, name: string): void {
  switch (name) {
    case 'country':
      delete situation.country;
      delete situation.district;
      delete situation.province;
      delete situation.atSea;
      return;
    case 'home':
      delete situation.district;
      return;
    case 'province':
    case 'home_province':
      delete situation.province;
      return;
    case 'at_sea':
      delete situation.atSea;
      return;
    case 'destination':
      delete situation.destination;
      return;
    case 'stage':
      delete situation.stage;
      return;
    case 'sector':
      delete situation.sector;
      return;
    case 'about_other':
      delete situation.aboutOther;
      return;
    default:
      return;
  }
}

/** What a case worker reads of the situation: codes and plain words, nothing the person typed. */
export function describeSituation(situation: Situation | undefined): Record<string, string> {
  if (!situation) return {};
  const described: Record<string, string> = {};
  const where = whereabouts(situation);
  if (where) described.where = where;
  const country = readSituationVariable(situation, 'country');
  if (typeof country === 'string') described.country = country;
  if (situation.district) described.district = situation.district;
  const province = readSituationVariable(situation, 'province');
  if (typeof province === 'string') described.province = province;
  if (situation.destination) described.destination = situation.destination;
  if (situation.stage) described.stage = situation.stage;
  if (situation.sector) described.sector = situation.sector;
  if (situation.aboutOther) described.about = 'someone else';
  return described;
}

/** Variables that held the place before the situation had a record of its own. */
const LEGACY_PLACE_VARIABLES = ['country', 'country_name', 'home', 'home_name', 'home_province'] as const;

/**
 * A session saved before the situation record existed keeps its place in plain variables:
 * moved into the record once, so the person is not asked again.
 */
export function adoptLegacyPlace(session: { vars: Record<string, VariableValue>; situation?: Situation }): void {
  const { vars } = session;
  if (!LEGACY_PLACE_VARIABLES.some((name) => vars[name] !== undefined)) return;
  session.situation ??= {};
  const situation = session.situation;
  if (typeof vars.home === 'string') setSituationVariable(situation, 'home', vars.home);
  else if (typeof vars.country === 'string') setSituationVariable(situation, 'country', vars.country);
  for (const name of LEGACY_PLACE_VARIABLES) delete vars[name];
}
