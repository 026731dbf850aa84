import type { PlaceDirectory } from '../content/place-directory.ts';
import { situationCues, type SituationCues } from './situation-cues.ts';

/** What a message names that the flows can use without asking again. */
export interface Entities {
  /** ISO code of a country named in the message ("sy di malaysia", "in hong kong"). */
  country?: string;
  /** Kemendagri code of an Indonesian province or district named in the message. */
  province?: string;
  district?: string;
  /** A company named the way people write one: "PT Bunga Mas", "lpk maju jaya". */
  agency?: string;
  /** What the message says of where the writer is, their stage and sector. */
  situation?: SituationCues;
}

/** Words that begin a company's name in Indonesia. */
const COMPANY_PREFIX = /(?:^|[^\p{L}])(pt|p\.t\.|cv|lpk|p3mi|pjtki|ppjtki|yayasan|agency|agensi)\.?\s+/giu;

/** Words that end a company's name when people type it in lower case ("pt bunga mas resmi gak"). */
const AFTER_NAME = new Set(
  'resmi legal terdaftar ada apa apakah itu ini gak ga gk nggak tidak tdk bisa bs bener benar asli aman penipu tipu izin ijin punya yang yg di dan atau sudah udah udh is isnt a an the legit licensed registered real fake safe ok okay scam still and or in at for please pls tolong ya kah'.split(
    ' ',
  ),
);

const MAX_NAME_WORDS = 5;

function findAgency(text: string): string | undefined {
  for (const match of text.matchAll(COMPANY_PREFIX)) {
    const after = text.slice((match.index ?? 0) + match[0].length);
    const words: string[] = [];
    for (const raw of after.split(/\s+/)) {
      const word = raw.replace(/[?!,;:"'()]+$/u, '');
      if (word === '' || AFTER_NAME.has(word.toLowerCase()) || words.length === MAX_NAME_WORDS) break;
      words.push(word);
      if (word !== raw) break; // punctuation closes the name
    }
    if (words.length > 0) return `${match[1]!.toUpperCase().replace(/\./g, '')} ${words.join(' ')}`;
  }
  return undefined;
}

/**
 * Places and companies named in a message. Countries, provinces and districts come from
 * the place directory (the same names the flows' questions accept); a company is what
 * follows "PT", "CV", "LPK" and the like.
 */
export function findEntities(text: string, places: PlaceDirectory): Entities {
  const entities: Entities = {};
  const country = places.findIn('country', text)[0];
  if (country) entities.country = country.code;
  const district = places.findIn('district', text)[0];
  if (district) entities.district = district.code;
  const province = places.findIn('province', text)[0];
  if (province) entities.province = province.code;
  const agency = findAgency(text);
  if (agency) entities.agency = agency;
  const situation = situationCues(text, places);
  if (Object.keys(situation).length > 0) entities.situation = situation;
  return entities;
}
