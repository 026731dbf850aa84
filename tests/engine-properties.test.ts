import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadEngineContext } from '../src/app/load-engine-context.ts';
import { SESSION_VERSION, newSession, type Session } from '../src/engine/session.ts';
import { step } from '../src/engine/step.ts';
import { isQuestion } from '../src/flows/flow-schema.ts';
import type { Inbound } from '../src/core/messages/inbound.ts';

/** Whatever people send, in whatever state a session is, the engine answers and never throws. */
const ctx = loadEngineContext();
const positions = [...ctx.flows.flows.values()].flatMap((flow) => Object.keys(flow.nodes).map((node) => ({ flow: flow.id, node })));

const text = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.constantFrom(
    '1',
    '2',
    '6',
    '0',
    '99',
    '-1',
    'menu',
    'ya',
    'tidak',
    'skip',
    'english',
    'dikurung',
    'Lombok Timur',
    '1.500.000',
    '   ',
    '{{language}}',
    '$t(menu.prompt)',
  ),
);

const inbound: fc.Arbitrary<Inbound> = fc.record(
  {
    channel: fc.constant('console' as const),
    conversationId: fc.constant('console:property'),
    messageId: fc.string({ minLength: 1, maxLength: 10 }),
    text,
    choice: fc.oneof(fc.constantFrom('lang_id', 'back', 'yes', 'skip', 'nope'), fc.string({ maxLength: 20 })),
    location: fc.record({ lat: fc.double({ min: -90, max: 90, noNaN: true }), lon: fc.double({ min: -180, max: 180, noNaN: true }) }),
    languageHint: fc.constantFrom('id', 'en', 'xx'),
    receivedAt: fc.constant('2026-11-26T00:00:00Z'),
  },
  { requiredKeys: ['channel', 'conversationId', 'messageId', 'receivedAt'] },
);

const session: fc.Arbitrary<Session> = fc.record({
  v: fc.constant(SESSION_VERSION),
  conversationId: fc.constant('console:property'),
  language: fc.option(fc.constantFrom('id', 'en'), { nil: undefined }),
  waiting: fc.option(
    fc.oneof(
      fc.constantFrom(...positions).map((position) => ({ ...position, retries: 0 })),
      fc.record({ flow: fc.string(), node: fc.string(), retries: fc.nat(20) }),
    ),
    { nil: undefined },
  ),
  vars: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), fc.oneof(fc.string(), fc.integer(), fc.boolean())),
  updatedAt: fc.constant('before'),
});

function checkResult(result: ReturnType<typeof step>): void {
  expect(result.replies.length).toBeGreaterThan(0);
  for (const reply of result.replies) expect(reply.text.trim()).not.toBe('');
  // Raw keys never reach people: every text was found in the locales.
  for (const reply of result.replies) expect(reply.text).not.toMatch(/^[a-z_]+\.[a-z_.]+$/);
  expect(JSON.parse(JSON.stringify(result.session))).toEqual(result.session);
  if (result.session.waiting) {
    const node = ctx.flows.node(result.session.waiting.flow, result.session.waiting.node);
    expect(node && isQuestion(node)).toBe(true);
  }
}

describe('engine properties', () => {
  it('answers any message in any session state without throwing', () => {
    fc.assert(
      fc.property(session, inbound, (before, message) => {
        checkResult(step(before, message, ctx));
      }),
      { numRuns: 2000 },
    );
  });

  it('stores a location on the equator or the prime meridian so that it reads back the same (found by the property above)', () => {
    const waiting = {
      v: 1,
      conversationId: 'console:property',
      waiting: { flow: 'services', node: 'ask_where', retries: 0 },
      vars: {},
      updatedAt: 'before',
    } as const;
    const result = step(
      structuredClone(waiting) as Parameters<typeof step>[0],
      {
        channel: 'console',
        conversationId: 'console:property',
        messageId: ' ',
        location: { lat: 0, lon: -0 },
        receivedAt: '2026-11-26T00:00:00Z',
      },
      ctx,
    );
    checkResult(result);
    expect(Object.is(result.session.vars.home_lon, 0)).toBe(true);
  });

  it('survives any sequence of messages from a new conversation', () => {
    fc.assert(
      fc.property(fc.array(inbound, { minLength: 1, maxLength: 25 }), (messages) => {
        let current = newSession('console:property', 'start');
        for (const message of messages) {
          const result = step(current, message, ctx);
          checkResult(result);
          current = result.session;
        }
      }),
      { numRuns: 300 },
    );
  });
});
