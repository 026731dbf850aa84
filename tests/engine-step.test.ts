import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEngineContext } from '../src/app/load-engine-context.ts';
import type { EngineContext } from '../src/engine/engine-context.ts';
import { newSession, type Session } from '../src/engine/session.ts';
import { step } from '../src/engine/step.ts';
import { FlowSet } from '../src/flows/load-flows.ts';
import { loadTranslator } from '../src/content/translator.ts';
import type { Inbound } from '../src/core/messages/inbound.ts';

// The engine is pure: these tests use the real flows and locales, and no Redis.
const ctx = loadEngineContext();
const MENU_IDS = ['migrate_safely', 'check_offer', 'warning_signs', 'find_services', 'returnees', 'talk_to_person'];

let counter = 0;
function message(fields: Partial<Inbound>): Inbound {
  counter += 1;
  return { channel: 'console', conversationId: 'console:t', messageId: `m${counter}`, receivedAt: '2026-11-26T00:00:00Z', ...fields };
}

function converse(
  lines: Partial<Inbound>[],
  start: Session = newSession('console:t', '2026-11-26T00:00:00Z'),
  context: EngineContext = ctx,
) {
  let session = start;
  return lines.map((line) => {
    const result = step(session, message(line), context);
    session = result.session;
    return result;
  });
}

describe('engine step', () => {
  it('asks for a language in both languages, Indonesian first, before one is known', () => {
    const [first] = converse([{ text: 'halo' }]);
    expect(first?.replies).toHaveLength(1);
    const reply = first!.replies[0]!;
    expect(reply.text.indexOf('Pilih bahasa')).toBeGreaterThanOrEqual(0);
    expect(reply.text.indexOf('Pilih bahasa')).toBeLessThan(reply.text.indexOf('Choose a language'));
    expect(reply.choices).toEqual([
      { id: 'lang_id', label: 'Bahasa Indonesia' },
      { id: 'lang_en', label: 'English' },
    ]);
    expect(first?.session.waiting).toEqual({ flow: 'main', node: 'choose_language', retries: 0 });
  });

  it.each([
    ['a number', { text: '2' }],
    ['a label', { text: 'english' }],
    ['a label with odd case, accents and punctuation', { text: '  ÉNGLISH! ' }],
    ['the start of a label', { text: 'eng' }],
    ['a button id', { choice: 'lang_en' }],
  ])('takes the answer to a menu as %s', (_how, answer) => {
    const [, second] = converse([{ text: 'hi' }, answer]);
    expect(second?.session.language).toBe('en');
    expect(second?.replies.at(-1)?.text).toBe('How can I help?');
    expect(second?.replies.at(-1)?.choices?.map((choice) => choice.id)).toEqual(MENU_IDS);
  });

  it('re-asks with a short hint and the same menu when the answer fits no choice', () => {
    const [, second] = converse([{ text: 'hi' }, { text: '9' }]);
    expect(second?.replies).toHaveLength(1);
    expect(second?.replies[0]?.text).toMatch(/1 sampai 2/);
    expect(second?.replies[0]?.choices?.map((choice) => choice.id)).toEqual(['lang_id', 'lang_en']);
    expect(second?.session.waiting?.retries).toBe(1);
  });

  it('skips the language question when the channel already knows the language', () => {
    const [first] = converse([{ text: 'hello', languageHint: 'en' }]);
    expect(first?.session.language).toBe('en');
    expect(first?.replies[0]?.text).toBe('This chat is confidential. I keep only what I need to answer you.');
    expect(first?.replies.at(-1)?.text).toBe('How can I help?');
    expect(first?.replies.some((reply) => reply.text.includes('delete my data'))).toBe(true);
  });

  it('ignores a language hint it cannot speak', () => {
    const [first] = converse([{ text: 'hello', languageHint: 'xx' }]);
    expect(first?.session.language).toBeUndefined();
  });

  it('answers a topic in the chosen language with sourced contacts, and comes back to the menu', () => {
    const results = converse([{ text: 'hi' }, { text: '1' }, { text: '2' }, { text: '3' }, { text: '3' }]);
    const advice = results[3]!.replies[0]!;
    expect(advice.text).toMatch(/visa turis/);
    expect(advice.text).toContain('siskop2mi.bp2mi.go.id');
    expect(advice.text).toContain('dicek 2026-11');
    expect(results[4]!.replies[0]!.choices?.map((choice) => choice.id)).toEqual(MENU_IDS);
  });

  it('resumes at the start when a stored question no longer exists in the flows', () => {
    const stale: Session = { ...newSession('console:t', 'x'), language: 'id', waiting: { flow: 'main', node: 'removed_node', retries: 0 } };
    const [result] = converse([{ text: '1' }], stale);
    expect(result?.replies.at(-1)?.text).toBe('Apa yang bisa saya bantu?');
    expect(result?.contentError).toBeUndefined();
  });

  it('turns a loop in the content into a friendly reply and an error, not a hang', () => {
    const looping = new FlowSet(
      new Map([
        [
          'main',
          { id: 'main', start: 'a', nodes: { a: { type: 'goto' as const, target: 'b' }, b: { type: 'goto' as const, target: 'a' } } },
        ],
      ]),
    );
    const [result] = converse([{ text: 'hi' }], undefined, { ...ctx, flows: looping, maxSteps: 20 });
    expect(result?.contentError).toMatch(/more than 20 nodes/);
    expect(result?.replies[0]?.text).toMatch(/ada gangguan/);
    expect(result?.replies[0]?.text).toContain('110');
  });

  it('is deterministic and leaves the session it was given untouched', () => {
    const session = newSession('console:t', 'x');
    const inbound = message({ text: 'hi' });
    const frozen = structuredClone(session);
    expect(step(session, inbound, ctx)).toEqual(step(session, inbound, ctx));
    expect(session).toEqual(frozen);
  });
});

describe('engine text', () => {
  it('interpolates session variables literally: no markup, nesting or keys from what people typed', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pelita-locales-'));
    for (const language of ['id', 'en']) {
      mkdirSync(path.join(dir, language));
      writeFileSync(path.join(dir, language, 'test.json'), JSON.stringify({ hello: 'Hi {{name}}!' }));
      writeFileSync(path.join(dir, language, 'menu.json'), JSON.stringify({ prompt: 'MENU' }));
    }
    const flows = new FlowSet(
      new Map([['main', { id: 'main', start: 'hi', nodes: { hi: { type: 'say' as const, text: 'test.hello' } } }]]),
    );
    const session: Session = { ...newSession('console:t', 'x'), language: 'en', vars: { name: '<b>{{language}}</b> $t(menu.prompt)' } };
    const [result] = converse([{ text: 'x' }], session, { ...ctx, flows, translator: loadTranslator(dir) });
    expect(result?.replies[0]?.text).toBe('Hi <b>{{language}}</b> $t(menu.prompt)!');
  });
});

describe('engine with understood free text (the NLU)', () => {
  const understood = (intent: string, confidence: number, emergency = false) => ({
    language: 'en',
    languageConfidence: 0.99,
    intent,
    confidence,
    emergency,
    emergencyByRule: emergency,
  });

  it('starts the flow of a confident intent when no question is open', () => {
    const [result] = converse([{ text: 'where do i register to go abroad', nlu: understood('migrate_safely', 0.9) }], {
      ...newSession('console:t', 'x'),
      language: 'en',
      vars: { welcomed: true },
    });
    expect(result?.trail[0]).toBe('migrate:start');
  });

  it('ignores a low-confidence intent', () => {
    const [result] = converse([{ text: 'hmm', nlu: understood('migrate_safely', 0.3) }], {
      ...newSession('console:t', 'x'),
      language: 'en',
      vars: { welcomed: true },
    });
    expect(result?.trail[0]).toBe('main:start');
  });

  it('treats a valid answer to the open question as an answer, whatever its intent', () => {
    const waiting: Session = {
      ...newSession('console:t', 'x'),
      language: 'id',
      vars: {},
      waiting: { flow: 'privacy', node: 'confirm', retries: 0 },
    };
    const [result] = converse([{ text: 'iya hapus aja', nlu: understood('delete_data', 0.95) }], waiting);
    expect(result?.effects).toEqual([{ type: 'delete_data' }]);
  });

  it('goes to the emergency flow from any state when someone is in danger', () => {
    const waiting: Session = {
      ...newSession('console:t', 'x'),
      language: 'en',
      vars: {},
      waiting: { flow: 'check_offer', node: 'paste', retries: 0 },
    };
    const [result] = converse([{ text: 'he keeps hitting me please', nlu: understood('emergency', 1, true) }], waiting);
    expect(result?.trail[0]).toBe('emergency:start');
    expect(result?.effects).toContainEqual({ type: 'escalate', reason: 'emergency' });
  });

  it('takes an answer to the open question as an answer when only the classifier suspects danger', () => {
    const waiting: Session = {
      ...newSession('console:t', 'x'),
      language: 'id',
      vars: {},
      waiting: { flow: 'services', node: 'ask_where', retries: 0 },
    };
    const [result] = converse(
      [{ text: 'sy di lombok timur', nlu: { ...understood('emergency', 0.6, true), emergencyByRule: false } }],
      waiting,
    );
    expect(result?.trail[0]).toBe('services:after_where');
    expect(result?.session.situation?.district).toBe('52.03');
  });

  it('asks about danger it is unsure of, and after "no" answers what the message asked, keeping nothing of it', () => {
    const talking: Session = { ...newSession('console:t', 'x'), language: 'en', vars: {} };
    const unsure = {
      ...understood('emergency', 0.9, true),
      emergencyByRule: false,
      emergencyKind: 'unclear' as const,
      intentIfSafe: { intent: 'returnee_support', confidence: 0.8 },
    };
    const [asked, safe] = converse([{ text: 'the collector of the agency keeps calling my mother', nlu: unsure }, { text: 'no' }], talking);
    expect(asked?.trail[0]).toBe('emergency:safety_check');
    expect(asked?.effects).not.toContainEqual(expect.objectContaining({ type: 'escalate' }));
    expect(asked?.session.vars.topic_if_safe).toBe('returnee_support');
    expect(safe?.trail).toEqual(expect.arrayContaining(['emergency:safety_resume', 'returnees:start']));
    expect(safe?.session.vars).toEqual({});
  });

  it("follows the NLU's verdict over an emergency trigger's words, and the words without an NLU", () => {
    const talking: Session = { ...newSession('console:t', 'x'), language: 'id', vars: {} };
    const recovered = 'dulu pernah kepikiran bunuh diri, skrg udh sembuh. mau jadi relawan gmn caranya?';
    const [withNlu] = converse([{ text: recovered, nlu: understood('returnee_support', 0.7) }], talking);
    expect(withNlu?.trail[0]).not.toMatch(/^emergency:/);
    expect(withNlu?.effects).not.toContainEqual(expect.objectContaining({ type: 'escalate' }));
    const [withoutNlu] = converse([{ text: recovered }], talking);
    expect(withoutNlu?.trail[0]).toBe('emergency:care');
  });

  it('answers a clear first message in its own language', () => {
    const [result] = converse([{ text: 'help I am locked in', nlu: understood('emergency', 1, true) }]);
    expect(result?.session.language).toBe('en');
    expect(result?.replies[0]?.text).toMatch(/^If someone is in danger/);
  });
});
