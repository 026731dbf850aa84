import type { Sector, Stage } from '../core/messages/inbound.ts';
import type { PlaceDirectory, PlaceKind } from '../content/place-directory.ts';
import { normalizeAnswer } from '../core/text/normalize.ts';

/** What one message says of the writer's situation. Every field is optional: most messages say nothing. */
export interface SituationCues {
  /** A place the message says they are in now ("saya di Malaysia", "sekarang sudah di Batam", "im in HK"). */
  here?: { kind: PlaceKind; code: string };
  /** An Indonesian district or province they come from ("saya dari Cilacap"). */
  origin?: { kind: PlaceKind; code: string };
  /** A country named with no word that says whether they are there or going there. */
  mentioned?: string;
  /** Where they plan to go ("mau kerja ke Taiwan", "want to work in Japan"). */
  destination?: string;
  atSea?: boolean;
  stage?: Stage;
  sector?: Sector;
  /** The message is about someone else: "teman saya", "my sister", "suami sy". */
  aboutOther?: boolean;
  /** The writer says in the first person where they are or come from: "sy di lombok timur", "i live in Cilacap". */
  ownPlace?: boolean;
  /** The message says only where the person is or comes from ("sy di indramayu", "saya dari Malang"). */
  placeOnly?: boolean;
}

/** Words that say nothing but where: what is left of "sy skrg di cilacap kak" once the place is gone. */
const PLACE_FILLER = new Set(
  'sy saya aku gw gue sya i im am m is now skrg skg sekarang lagi masih sudah udah udh sdh di kat dari dr from in at the kak ka min mbak mas bang sis sir ya yah nih kok tinggal kerja bekerja work working live living here'.split(
    ' ',
  ),
);

/** "kat" is Malay for "di", as workers in Malaysia come to write it ("sy kat penang"). */
const PRESENCE = new Set(['di', 'kat', 'in', 'at', 'dalam', 'skrg', 'skg', 'sekarang', 'now', 'currently', 'here', 'disini']);
/** Words that say the place is where they are now, over any other place the message puts them in. */
const NOW = new Set(['skrg', 'skg', 'sekarang', 'skrang', 'now', 'currently']);
const TOWARDS = new Set(['ke', 'to', 'kesana']);
const ORIGIN = new Set(['dari', 'dr', 'from', 'asal']);
/** Words before a place that make it a plan, not a whereabouts. */
const PLANNING = new Set([
  'mau',
  'ingin',
  'pengen',
  'pingin',
  'pengin',
  'rencana',
  'berencana',
  'akan',
  'want',
  'wanna',
  'plan',
  'planning',
  'going',
  'apply',
  'daftar',
  'berangkat',
  'lowongan',
  'loker',
  'job',
  'jobs',
  'vacancy',
]);
/** Words before a place that make it the past: they were there, they are not now. */
const PAST = new Set([
  'pernah',
  'dulu',
  'dahulu',
  'mantan',
  'waktu',
  'wkt',
  'pas',
  'selama',
  'ketika',
  'when',
  'while',
  'during',
  'used',
  'worked',
  'returned',
  'back',
  'pulang',
  'balik',
  'dipulangkan',
  'dideportasi',
  'deported',
  'ex',
]);

/**
 * People whose place "di"/"in" may name rather than the writer's: "gaji gk dibayar majikan di
 * Malaysia" from a returnee at home. Such a country is only mentioned (where the person is,
 * for an emergency); a workplace is not among them ("kerja di pabrik di Malaysia").
 */
const SOMEONE_ELSES = new Set([
  'majikan',
  'majikannya',
  'bos',
  'boss',
  'tauke',
  'madam',
  'agen',
  'agent',
  'agensi',
  'agency',
  'sponsor',
  'calo',
  'employer',
]);

/** Going home, before "ke"/"to" and an Indonesian place. */
const HOMECOMING = new Set(['pulang', 'balik', 'kembali', 'back']);
/** Came home: the verb itself says it happened. */
const CAME_HOME = new Set(['returned', 'dipulangkan', 'dideportasi', 'deported']);
/** Words that make going home done ("sudah pulang ke Indramayu"), not a wish ("mau pulang ke Indramayu"). */
const DONE = new Set(['sudah', 'sdh', 'udah', 'udh', 'dah', 'telah', 'tlh', 'baru', 'br', 'already', 'just', 'im', 'am']);
const NOT_YET = new Set([
  'mau',
  'ingin',
  'pengen',
  'pingin',
  'pengin',
  'want',
  'wanna',
  'blm',
  'belum',
  'gk',
  'ga',
  'gak',
  'tidak',
  'tdk',
  'cannot',
  'cant',
  'not',
  'bisa',
  'can',
  'minta',
  'help',
  'tolong',
  'akan',
  'will',
]);

/** "sudah pulang ke Indramayu", "deported to Jakarta": the Indonesian place after it is where they are now. */
function cameHome(before: string[]): boolean {
  if (before.some((word) => NOT_YET.has(word))) return false;
  if (before.some((word) => CAME_HOME.has(word))) return true;
  return before.some((word) => HOMECOMING.has(word)) && before.some((word) => DONE.has(word));
}

const AT_SEA =
  /\b(di|atas)\s+kapal\b|\bdi\s+(tengah\s+)?laut\b|\btengah\s+laut\b|\bat\s+sea\b|\bon\s+(a|the|our|my|this)?\s*(fishing\s+)?(boat|ship|vessel)\b|\bkapal\s+(ikan|saya|sy|kami|kita|ini)\b|\bkapten\b|\bcaptain\b|\bsekapal\b|\btidak\s+pulang\s+ke\s+darat\b|\b(gk|gak|ga|tdk|tidak|blm|belum)\s+(pernah\s+)?(turun|pulang|sandar)\s+(ke\s+)?darat\b/;

const STAGE_PATTERNS: [Stage, RegExp][] = [
  [
    'returned',
    /\b(sudah|sdh|udah|udh|baru|br)\s+(pulang|balik|kembali)\b|\bpurna\s*(pmi|tki|migran)?\b|\bmantan\s+(tki|pmi|tkw)\b|\bex\s+(tki|pmi|tkw)\b|\b(back|returned|came\s+back)\s+(home|from)\b|\bdideportasi\b|\bdeported\b|\bdipulangkan\b/,
  ],
  [
    'planning',
    /\b(mau|ingin|pengen|pingin|rencana|berencana|akan)\s+(kerja|bekerja|berangkat|daftar|jadi\s+(tki|pmi|tkw))\b|\bcalon\s+(pmi|tki|tkw)\b|\b(want|plan|planning|wanna|going)\s+to\s+(work|go)\s+(abroad|to|in|overseas)\b/,
  ],
];

const SECTOR_PATTERNS: [Sector, RegExp][] = [
  ['fishing', /\b(abk|nelayan|kapal\s+ikan|fishing|fisherman|fishermen|crew|pelaut|seafarer)\b/],
  [
    'online_scam',
    /\b(admin\s+online|cs\s+online|customer\s+service\s+online|scam\s+(company|compound)|judi\s+online|online\s+scam|operator\s+online)\b/,
  ],
  ['care', /\b(caregiver|perawat\s+(lansia|jompo)|jaga\s+(lansia|jompo|orang\s+tua)|care\s*worker|elderly)\b/],
  ['domestic', /\b(prt|art|pembantu|asisten\s+rumah\s+tangga|domestic\s+(helper|worker)|maid|helper|madam|amah)\b/],
  ['factory', /\b(pabrik|factory|kilang|manufaktur|manufacturing)\b/],
  ['plantation', /\b(sawit|kebun|ladang|perkebunan|plantation|palm\s+oil|farm)\b/],
  ['construction', /\b(bangunan|konstruksi|proyek|construction|building\s+site)\b/],
];

/** Someone the writer names by kinship or friendship, before "saya"/"sy": "kakak sy", "temen gw". */
const KIN =
  'teman|temen|tmn|kawan|adik|adek|ade|kakak|kaka|abang|suami|istri|isteri|anak|ibu|bapak|ayah|mama|papa|sepupu|ponakan|keponakan|tetangga|saudara|sodara|paman|bibi|tante|om|pacar';

const ABOUT_OTHER = new RegExp(
  `\\b(${KIN})\\s+(saya|sy|aku|ku|gw|gue|kami|kita)\\b|\\b(temanku|adikku|kakakku|suamiku|istriku|anakku|ibuku|sepupuku|tetanggaku)\\b|\\bteman\\s+sekapal\\b|\\b(my|our)\\s+(friend|sister|brother|husband|wife|son|daughter|mother|mom|mum|father|dad|cousin|neighbou?r|niece|nephew|aunt|uncle|relative|crew\\s*mates?|colleague|co\\s+worker|girlfriend|boyfriend)\\b`,
);

/**
 * The writer saying where they are or come from in their own words ("sy di lombok timur, ada
 * tawaran ke dubai ..."): an advert says "penempatan di ..." or "interview di ...", never
 * "saya di"; "kakak sy di dubai" is the sister's place.
 */
const SAYS_OWN_PLACE = new RegExp(
  `(?<!\\b(${KIN})\\s+)\\b(sy|saya|aku|gw|gue|i\\s*m|i\\s+am|im|i\\s+live|i\\s+stay)\\s+((skrg|sekarang|lagi|masih|tinggal|now|still)\\s+)?(di|in|at|dari|from)\\b`,
);

/**
 * Reads what a message says of the writer's situation, from the words around the places it
 * names: "di"/"in"/"sekarang" make a place where they are, "ke"/"mau kerja" a destination,
 * "pernah"/"pulang dari" the past, "dari" an Indonesian home district. Kept to plain
 * patterns on purpose: a case worker must be able to see why Pelita thought someone was in
 * Malaysia.
 */
export function situationCues(text: string, places: PlaceDirectory): SituationCues {
  const normalized = normalizeAnswer(text);
  const words = normalized.split(' ');
  const cues: SituationCues = {};
  const padded = ` ${normalized} `;
  const placeWords = new Set<number>();
  // "worked in Singapore last year, now in Dubai": the place said with "now" is where they are.
  let hereSaidNow = false;

  for (const kind of ['district', 'province', 'country'] as const) {
    for (const { place, start, end } of places.locateIn(kind, normalized)) {
      for (let index = start; index < end; index++) placeWords.add(index);
      const before = words.slice(Math.max(0, start - 4), start);
      const right = before.at(-1);
      const context = new Set(before);
      const isIndonesia = kind !== 'country' || place.code === 'ID';
      if (kind === 'country' && place.code === 'ID' && !right) continue;
      // "sudah pulang ke Indramayu": home again is where they are now, not a past.
      if (isIndonesia && TOWARDS.has(right ?? '') && cameHome(before)) {
        cues.here ??= { kind, code: place.code };
        continue;
      }
      if ([...context].some((word) => PAST.has(word))) continue;
      if (kind === 'country' && !isIndonesia && (TOWARDS.has(right ?? '') || [...context].some((word) => PLANNING.has(word)))) {
        cues.destination ??= place.code;
        continue;
      }
      if (isIndonesia && ORIGIN.has(right ?? '')) {
        cues.origin ??= { kind, code: place.code };
        continue;
      }
      if (kind === 'country' && SOMEONE_ELSES.has(before.at(-2) ?? '') && PRESENCE.has(right ?? '')) {
        cues.mentioned ??= place.code;
        continue;
      }
      if (PRESENCE.has(right ?? '') || [...context].some((word) => PRESENCE.has(word))) {
        // The most precise place wins (districts are read first), unless a later one is said with "now".
        const saidNow = [...context].some((word) => NOW.has(word));
        if (!cues.here || (saidNow && !hereSaidNow)) {
          cues.here = { kind, code: place.code };
          hereSaidNow = saidNow;
        }
        continue;
      }
      if (kind === 'country') cues.mentioned ??= place.code;
    }
  }
  if (AT_SEA.test(padded)) cues.atSea = true;
  for (const [stage, pattern] of STAGE_PATTERNS) {
    if (pattern.test(padded)) {
      cues.stage = stage;
      break;
    }
  }
  if (!cues.stage && cues.here?.kind === 'country' && cues.here.code !== 'ID') cues.stage = 'abroad';
  if (!cues.stage && cues.atSea) cues.stage = 'abroad';
  for (const [sector, pattern] of SECTOR_PATTERNS) {
    if (pattern.test(padded)) {
      cues.sector = sector;
      break;
    }
  }
  if (ABOUT_OTHER.test(padded)) cues.aboutOther = true;
  if (SAYS_OWN_PLACE.test(padded)) cues.ownPlace = true;
  if ((cues.here || cues.origin) && words.every((word, index) => placeWords.has(index) || PLACE_FILLER.has(word))) cues.placeOnly = true;
  return cues;
}
