import { describe, expect, it } from 'vitest';
import { loadEngineContext } from '../src/app/load-engine-context.ts';
import { newSession, type Session } from '../src/engine/session.ts';
import { step } from '../src/engine/step.ts';
import type { Inbound } from '../src/core/messages/inbound.ts';

// What people come for, through the pure engine (the transcripts cover the pipeline).
const ctx = loadEngineContext();

function talk(messages: (string | Partial<Inbound>)[], lang?: string, start?: Session): { said: string[]; session: Session } {
  let session = start ?? newSession('console:content', 'x');
  const said: string[] = [];
  messages.forEach((message, n) => {
    const fields = typeof message === 'string' ? { text: message } : message;
    const result = step(
      session,
      { channel: 'console', conversationId: 'console:content', messageId: `m${n}`, receivedAt: 'now', languageHint: lang, ...fields },
      ctx,
    );
    said.push(result.replies.map((reply) => reply.text).join('\n'));
    session = result.session;
  });
  return { said, session };
}

describe('find services', () => {
  it('answers a first message that names a place with the services there, before any onboarding', () => {
    const { said } = talk(['cari layanan bantuan di Mataram'], 'id');
    expect(said[0]).toMatch(/^Layanan di Kota Mataram:/);
    expect(said[0]).toContain('BP3MI Nusa Tenggara Barat');
    expect(said[0]).toContain('0800-1000');
    expect(said[0]).not.toContain('Percakapan ini rahasia');
  });

  it('finds Makassar from an English question', () => {
    const { said } = talk(['where can I get help near Makassar'], 'en');
    expect(said[0]).toMatch(/^Services in Kota Makassar:/);
    expect(said[0]).toContain('BP3MI South Sulawesi');
  });

  it('asks where the person is when the message names no place, and takes a district', () => {
    const { said, session } = talk(['find services', 'lombok timur'], 'en');
    expect(said[0]).toMatch(/Which district or city are you in/);
    expect(said[1]).toMatch(/^Services in Kabupaten Lombok Timur:/);
    expect(session.situation?.district).toBe('52.03');
  });

  it('lists the offices nearest to a shared location', () => {
    const { said } = talk(['find services', { location: { lat: -8.66, lon: 116.5 } }], 'en');
    expect(said[1]).toMatch(/^Services nearest to your location:\n• Manpower office \(Disnaker\), Kabupaten Lombok Timur/);
  });

  it('says so when it has no list for a place, and still gives the national channels', () => {
    const { said } = talk(['find services', 'Kabupaten Bantul'], 'en');
    expect(said[1]).toContain('I do not have a list of services for that place yet.');
    expect(said[1]).toContain('KP2MI call centre: 0800-1000');
  });
});

describe('hotlines by where the person is', () => {
  it('gives numbers at once, then the mission in the country the person names', () => {
    const { said } = talk(['talk to a person', 'taiwan'], 'en');
    expect(said[0]).toContain('0800-1000');
    expect(said[1]).toContain('Help numbers in Taiwan');
    expect(said[1]).toContain('+886 901 132 000');
    expect(said[1]).toContain('1955');
    expect(said[1]).toMatch(/checked 2026-11/);
  });

  it('in an emergency abroad, shows the mission there and no Indonesian police number', () => {
    const { session } = talk(['talk to a person', 'Malaysia'], 'id');
    const { said } = talk(['tolong saya dikurung majikan'], 'id', session);
    expect(said[0]).toContain('+60 17-668 8032');
    expect(said[0]).not.toContain('Polisi');
  });

  it('in an emergency with the place unknown, shows Indonesian numbers and the ones for abroad', () => {
    const { said } = talk(['saya dipukuli'], 'id');
    expect(said[0]).toContain('Polisi: 110');
    expect(said[0]).toContain('+62 21 29244800');
  });
});

describe('migrate safely', () => {
  it('covers the Middle East moratorium and Korea EPS from the sources', () => {
    const returning = (): Session => ({ ...newSession('console:content', 'x'), language: 'en', vars: { welcomed: true } });
    // menu -> Migrate safely -> Destination countries -> More -> Saudi & Middle East
    const { said } = talk(['menu', '1', '5', '5', '1'], undefined, returning());
    expect(said[4]).toMatch(/2015/);
    expect(said[4]).toContain('Indonesian Embassy, Riyadh');
    const korea = talk(['menu', '1', '5', '5', '2'], undefined, returning()).said[4];
    expect(korea).toMatch(/18 to 39/);
    expect(korea).toMatch(/USD 28/);
  });
});

describe('delete my data', () => {
  it('asks once, then clears what the session knew', () => {
    const start: Session = {
      ...newSession('console:content', 'x'),
      language: 'id',
      vars: { welcomed: true, home: '52.03', country: 'MY' },
    };
    const { said, session } = talk(['hapus data saya', 'ya'], undefined, start);
    expect(said[0]).toMatch(/Hapus semua data Anda/);
    expect(said[1]).toMatch(/Data Anda sudah dihapus/);
    expect(session.vars).toEqual({});
    expect(session.situation).toBeUndefined();
  });

  it('keeps everything when the person says no', () => {
    const start: Session = { ...newSession('console:content', 'x'), language: 'en', vars: { welcomed: true, home: '52.03' } };
    const { said, session } = talk(['delete my data', 'no'], undefined, start);
    expect(said[1]).toMatch(/has not been deleted/);
    expect(session.situation?.district).toBe('52.03');
  });
});
