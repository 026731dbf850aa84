import type { Contact } from '../content/contact-schema.ts';
import type { Whereabouts } from './situation.ts';

/** Indonesia's country calling code, for its numbers dialled from abroad. */
const INDONESIA_CALLING_CODE = '+62';
/** Short codes (110, 129, 1500630) and toll-free 0800 numbers work only inside a country's own networks. */
const DOMESTIC_ONLY = /^(\d{3,7}|0800[\d -]*)$/;

/**
 * A phone or WhatsApp number as the person must dial it from where they are. An
 * Indonesian number seen from abroad or at sea gets +62 in place of its leading 0
 * ("0811-8080-141" -> "+62 811-8080-141"); a short code or toll-free number that cannot be
 * reached from outside its country is left out there (undefined): a number that does not
 * work is a wrong number. Websites, e-mail and numbers already in international form are
 * shown as they are.
 *
 * Where the person is not yet known, a number that works from both sides is given in the
 * form that does: "+62 811-..." reaches the same phone from an Indonesian mobile and from
 * abroad, while "0811-..." fails from abroad, and the first reply to an emergency goes out
 * before the person has said where they are. Short codes and toll-free numbers stay as
 * they are (their note says "in Indonesia").
 */
export function dialledAs(contact: Contact, where: Whereabouts | undefined): string | undefined {
  const value = contact.value;
  if (value === undefined || (contact.kind !== 'phone' && contact.kind !== 'whatsapp') || value.startsWith('+')) return value;
  const country = contact.area?.country ?? 'ID';
  if (country !== 'ID') return value;
  if (where === 'indonesia') return value;
  const domesticOnly = DOMESTIC_ONLY.test(value.trim());
  if (domesticOnly) return where === undefined ? value : undefined;
  return value.startsWith('0') ? `${INDONESIA_CALLING_CODE} ${value.slice(1)}` : value;
}

/** Default age after which a number's newest source is shown as old. */
export const DEFAULT_SOURCE_MAX_AGE_MONTHS = 36;

/** Whether a source dated `sourceDate` (YYYY, YYYY-MM or YYYY-MM-DD) is older than `maxAgeMonths` at `now`. */
export function sourceIsOld(sourceDate: string, now: string, maxAgeMonths = DEFAULT_SOURCE_MAX_AGE_MONTHS): boolean {
  const [year, month = '12'] = sourceDate.split('-');
  const current = new Date(now);
  if (Number.isNaN(current.getTime())) return false;
  const months = (current.getUTCFullYear() - Number(year)) * 12 + (current.getUTCMonth() + 1 - Number(month));
  return months > maxAgeMonths;
}
