import { z } from 'zod';
import type { Contact } from '../../content/contact-schema.ts';
import { distanceKm } from '../../core/distance.ts';
import type { ActionContext, ActionDefinition } from './action-registry.ts';

const optionalString = z.string().optional();
const optionalNumber = z.number().optional();

const input = z
  .object({
    /** A district or province code from an earlier answer, if any. */
    district: optionalString,
    province: optionalString,
    /** Free text that may name a place ("saya di lombok timur"), e.g. "{{message}}". */
    text: optionalString,
    lat: optionalNumber,
    lon: optionalNumber,
    /** Only these kinds of service (comma-separated types, e.g. "legal_aid,ngo"). */
    types: optionalString,
  })
  .strict();

/** How many offices nearest to a shared location are shown. */
const NEAREST = 3;

function byTypeOrder(a: Contact, b: Contact): number {
  const order = ['manpower_office', 'one_stop_centre', 'kp2mi_office', 'legal_aid', 'ngo'];
  return order.indexOf(a.type) - order.indexOf(b.type);
}

/**
 * Local services for a place: the district's offices and its province's KP2MI office, found
 * from a district or province code, a place named in free text, or the nearest offices to
 * a shared location. Outputs the directory ids for a `say` to list, and the place's name.
 */
export const findServices: ActionDefinition<z.infer<typeof input>> = {
  name: 'find_services',
  description: 'Finds local offices by district, province, a place named in text, or coordinates.',
  input,
  outputs: ['service_ids', 'place_name', 'found'],
  run: (args, ctx: ActionContext) => {
    const wanted = args.types ? new Set(args.types.split(',')) : undefined;
    const ofType = (entry: Contact) => !wanted || wanted.has(entry.type);
    const local = ctx.contacts
      .all()
      .filter((entry) => entry.area?.country === 'ID' && (entry.area.district || entry.area.province) && ofType(entry));
    // Asked for a kind of service: the national ones of that kind count too (SAPA 129, NGOs).
    const national = wanted
      ? ctx.contacts
          .all()
          .filter(
            (entry) => ofType(entry) && !entry.area?.district && !entry.area?.province && (!entry.area || entry.area.country === 'ID'),
          )
      : [];
    const text = args.text;
    let district = args.district;
    let province = args.province;
    let placeName: string | undefined;
    if (!district && !province && text) {
      const named = ctx.places.findIn('district', text)[0];
      if (named) {
        district = named.code;
        placeName = named.name;
      } else {
        const namedProvince = ctx.places.findIn('province', text)[0];
        province = namedProvince?.code;
        placeName = namedProvince?.name;
      }
    }
    let found: Contact[] = [];
    if (district) {
      const provinceOfDistrict = ctx.places.get('district', district)?.provinceCode;
      placeName ??= ctx.places.get('district', district)?.name;
      found = local.filter(
        (entry) => entry.area?.district === district || (!entry.area?.district && entry.area?.province === provinceOfDistrict),
      );
    } else if (province) {
      placeName ??= ctx.places.get('province', province)?.name;
      found = local.filter((entry) => entry.area?.province === province);
    } else if (args.lat !== undefined && args.lon !== undefined) {
      const here = { lat: args.lat, lon: args.lon };
      found = local
        .filter((entry) => entry.coordinates)
        .sort((a, b) => distanceKm(here, a.coordinates!) - distanceKm(here, b.coordinates!))
        .slice(0, NEAREST);
    }
    const ids = [...found.sort(byTypeOrder), ...national].map((entry) => entry.id);
    return { service_ids: ids.join(','), place_name: placeName ?? '', found: ids.length > 0 };
  },
};
