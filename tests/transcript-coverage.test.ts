import { describe, expect, it } from 'vitest';
import { loadEngineContext } from '../src/app/load-engine-context.ts';
import { newSession } from '../src/engine/session.ts';
import { step } from '../src/engine/step.ts';
import { loadTranscripts } from './harness/transcripts.ts';

/**
 * The transcripts must walk every node of every flow in every language, so no sentence
 * reaches people untested. The pure engine replays them here to see which nodes ran; the
 * pipeline test checks what was said.
 */
const ctx = loadEngineContext();
const transcripts = loadTranscripts();

describe('transcript coverage', () => {
  for (const language of ctx.translator.languages) {
    it(`visits every node of every flow in "${language}"`, () => {
      const visited = new Set<string>();
      for (const conversation of transcripts.filter((c) => c.language === language)) {
        let session = newSession(`console:coverage-${conversation.file}-${conversation.index}`, 'start');
        for (const [number, turn] of conversation.turns.entries()) {
          const result = step(
            session,
            { channel: 'console', conversationId: session.conversationId, messageId: `m${number}`, text: turn.user, location: turn.location, languageHint: conversation.lang, receivedAt: 'now' },
            ctx,
          );
          result.trail.forEach((node) => visited.add(node));
          session = result.session;
        }
      }
      const all = [...ctx.flows.flows.values()].flatMap((flow) => Object.keys(flow.nodes).map((node) => `${flow.id}:${node}`));
      expect(all.filter((node) => !visited.has(node))).toEqual([]);
    });
  }
});
