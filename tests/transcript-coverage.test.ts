import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAgencyList } from '../src/content/agency-list.ts';
import { ContactDirectory } from '../src/content/contact-directory.ts';
import { loadEngineContext } from '../src/app/load-engine-context.ts';
import { newSession } from '../src/engine/session.ts';
import { step } from '../src/engine/step.ts';
import { AnswerRetriever } from '../src/nlu/answer-retriever.ts';
import { understand } from '../src/nlu/understand.ts';
import type { Nlu } from '../src/nlu/nlu.ts';
import { loadTranscripts } from './harness/transcripts.ts';
import { sharedNlu } from './harness/test-pelita.ts';

/**
 * The transcripts must walk every node of every flow in every language, so no sentence
 * reaches people untested. The pure engine replays them here, after the same NLU as the
 * worker's, to see which nodes ran; the pipeline test checks what was said.
 */
// Pelita ships no agency licence list (it must be imported), so the replay uses a made-up
// one: "PT Sinar Jaya Abadi" is found and "PT Bintang Timur Sejahtera" is not, which walks
// the two branches the pipeline, without a list, cannot reach.
// Replayed once as shipped and once with that list; the union of both must cover every node.
const shipped = loadEngineContext();
// A third replay has an empty directory: the branches for "no service of that kind".
const contexts = [
  shipped,
  { ...shipped, agencies: loadAgencyList(path.join(import.meta.dirname, 'fixtures', 'agencies')) },
  { ...shipped, contacts: new ContactDirectory([]) },
];
const transcripts = loadTranscripts();
const answers = shipped.answers ? new AnswerRetriever(shipped.answers) : undefined;

describe('transcript coverage', () => {
  let nlu: Nlu;
  beforeAll(async () => {
    nlu = await sharedNlu();
  });

  for (const language of shipped.translator.languages) {
    it(`visits every node of every flow in "${language}"`, async () => {
      const visited = new Set<string>();
      const conversations = transcripts.filter((c) => c.language === language);
      for (const [context, conversation] of contexts.flatMap((context) => conversations.map((c) => [context, c] as const))) {
        let session = newSession(`console:coverage-${conversation.file}-${conversation.index}`, 'start');
        for (const [number, turn] of conversation.turns.entries()) {
          const inbound = await understand(
            nlu,
            {
              channel: 'console',
              conversationId: session.conversationId,
              messageId: `m${number}`,
              text: turn.user,
              location: turn.location,
              languageHint: conversation.lang,
              receivedAt: 'now',
            },
            session.language ?? conversation.lang,
            context.places,
            answers,
          );
          const result = step(session, inbound, { ...context, caseWorkers: conversation.case_workers === true });
          for (const node of result.trail) visited.add(node);
          session = result.session;
        }
      }
      const all = [...shipped.flows.flows.values()].flatMap((flow) => Object.keys(flow.nodes).map((node) => `${flow.id}:${node}`));
      expect(all.filter((node) => !visited.has(node))).toEqual([]);
    });
  }
});
