import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findEntities } from '../src/nlu/entities.ts';
import { loadPlaces } from '../src/content/place-directory.ts';

const places = loadPlaces(path.join(import.meta.dirname, '..', 'content', 'places'));

describe('entities named in a message', () => {
  it('finds the country a person names, in chat spelling', () => {
    expect(findEntities('sy di hk skrg', places).country).toBe('HK');
    expect(findEntities('my employer in Saudi Arabia took my passport', places).country).toBe('SA');
    expect(findEntities('tolong cek lowongan ini', places).country).toBeUndefined();
  });

  it('reads a departure airport as Indonesia, so someone pushed to leave gets the numbers for where they stand', () => {
    expect(findEntities('sy di bandara soetta skrg, sponsor maksa sy berangkat malam ini', places).situation?.here).toEqual({
      kind: 'country',
      code: 'ID',
    });
    expect(findEntities('i am at soekarno hatta airport, the agent took my passport', places).country).toBe('ID');
  });

  it('finds Indonesian districts and provinces', () => {
    const entities = findEntities('saya dari lombok timur, ntb', places);
    expect(places.get('district', entities.district ?? '')?.name).toMatch(/Lombok Timur/i);
    expect(places.get('province', entities.province ?? '')?.name).toMatch(/Nusa Tenggara Barat/i);
  });

  it('takes the company name that follows PT, CV or LPK and stops at the question', () => {
    expect(findEntities('PT Bunga Mas resmi gak?', places).agency).toBe('PT Bunga Mas');
    expect(findEntities('apakah pt. sinar jaya abadi terdaftar', places).agency).toBe('PT sinar jaya abadi');
    expect(findEntities('is LPK Maju Bersama legit', places).agency).toBe('LPK Maju Bersama');
    expect(findEntities('cek agen yang nawarin kerja', places).agency).toBeUndefined();
  });
});
