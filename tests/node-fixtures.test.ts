import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEngineContext } from '../src/app/load-engine-context.ts';
import type { EngineContext } from '../src/engine/engine-context.ts';
import { SESSION_VERSION, type Session } from '../src/engine/session.ts';
import { step } from '../src/engine/step.ts';
import { flowSchema, type Flow } from '../src/flows/flow-schema.ts';
import { FlowSet } from '../src/flows/flow-set.ts';
import { triggerSchema } from '../src/flows/triggers-schema.ts';
import type { Inbound } from '../src/core/messages/inbound.ts';

/**
 * Golden fixtures in the style of nyaruka/goflow: one file per node type, each case a
 * session and a message in, the session, replies, effects and trail out. The expected
 * outputs were generated with UPDATE_GOLDEN=1 and then read and checked by a person;
 * a change in behaviour shows up as a diff in these files.
 */
const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'nodes');
const update = process.env.UPDATE_GOLDEN === '1';
const real = loadEngineContext();

interface Case {
  name: string;
  session: Partial<Session>;
  inbound: Partial<Inbound>;
  expect?: unknown;
}

interface Fixture {
  description: string;
  flows: unknown[];
  triggers?: unknown[];
  cases: Case[];
}

function contextFor(fixture: Fixture): EngineContext {
  const flows = new Map<string, Flow>(
    fixture.flows.map((raw) => {
      const flow = flowSchema.parse(raw);
      return [flow.id, flow];
    }),
  );
  const triggers = (fixture.triggers ?? []).map((raw) => triggerSchema.parse(raw));
  return { ...real, flows: new FlowSet(flows, triggers) };
}

function run(ctx: EngineContext, testCase: Case) {
  const session: Session = { v: SESSION_VERSION, conversationId: 'console:golden', vars: {}, updatedAt: 'before', ...testCase.session };
  const inbound: Inbound = {
    channel: 'console',
    conversationId: 'console:golden',
    messageId: 'm1',
    receivedAt: '2026-11-26T08:00:00.000Z',
    ...testCase.inbound,
  };
  const result = step(session, inbound, ctx);
  const { conversationId: _id, v: _v, updatedAt, ...sessionOut } = result.session;
  expect(updatedAt).toBe(inbound.receivedAt);
  return {
    session: sessionOut,
    replies: result.replies,
    effects: result.effects,
    trail: result.trail,
    ...(result.contentError ? { contentError: result.contentError } : {}),
  };
}

for (const file of readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.json'))
  .sort()) {
  const fixturePath = path.join(FIXTURES, file);
  const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as Fixture;
  describe(`node fixture ${file}: ${fixture.description}`, () => {
    const ctx = contextFor(fixture);
    for (const testCase of fixture.cases) {
      it(testCase.name, () => {
        const actual = run(ctx, testCase);
        if (update) testCase.expect = actual;
        else expect(actual).toEqual(testCase.expect);
      });
    }
    if (update) it('is written back', () => writeFileSync(fixturePath, `${JSON.stringify(fixture, null, 2)}\n`));
  });
}
