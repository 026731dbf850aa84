import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT, SHIPPED_CONTENT } from '../src/config/content-paths.ts';
import { loadEngineContext } from '../src/app/load-engine-context.ts';
import { loadAnswerBank, readAnswerBank } from '../src/content/answer-bank.ts';
import { CARD_LANGUAGES, MAX_ANSWER_CHARS } from '../src/content/answer-card-schema.ts';
import { loadContacts } from '../src/content/contact-directory.ts';
import { ContentError } from '../src/content/content-error.ts';
import { ANSWER_POLICY } from '../src/engine/answer-cards.ts';
import { newSession, type Session } from '../src/engine/session.ts';
import { step } from '../src/engine/step.ts';
import { lintContent } from '../src/authoring/lint-content.ts';
import type { Inbound } from '../src/core/messages/inbound.ts';
import { AnswerRetriever } from '../src/nlu/answer-retriever.ts';
import { evaluateAnswers, loadLabelledQuestions } from '../src/nlu/evaluate-answers.ts';
import { AnswerCounts } from '../src/pipeline/answer-counts.ts';
import { openRedis } from '../src/redis/redis-connection.ts';
import { RedisKeys } from '../src/redis/redis-keys.ts';
import { copyContent } from './harness/content-copy.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

const PELITA = path.join(PACKAGE_ROOT, 'bin', 'pelita.mjs');
const contacts = loadContacts(SHIPPED_CONTENT.content);
const bank = loadAnswerBank(SHIPPED_CONTENT.content, contacts);
const retriever = new AnswerRetriever(bank);

function answerCli(args: string[], input: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [PELITA, 'answer', ...args], { input, encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
}

describe('the shipped answer bank', () => {
  it('has at least 150 cards, each in Indonesian and English, sourced and dated, short enough for a small phone', () => {
    expect(bank.cards.length).toBeGreaterThanOrEqual(150);
    for (const card of bank.cards) {
      expect(card.sources.length, card.id).toBeGreaterThan(0);
      expect(card.verifiedOn, card.id).toMatch(/^\d{4}-\d{2}/);
      for (const language of CARD_LANGUAGES) {
        expect(card.questions[language].length, `${card.id} ${language}`).toBeGreaterThanOrEqual(3);
        expect([...card.answer[language]].length, `${card.id} ${language}`).toBeLessThanOrEqual(MAX_ANSWER_CHARS);
      }
    }
  });

  it('covers the topics people ask about', () => {
    const topics = new Set(bank.cards.map((card) => card.topic));
    for (const topic of [
      'documents',
      'recruiters',
      'costs',
      'age',
      'destination',
      'middle_east',
      'sea_work',
      'scams',
      'trafficking',
      'wages',
      'complaints',
      'detention',
      'going_home',
      'insurance',
      'reintegration',
      'money_home',
      'family',
      'mental_health',
    ]) {
      expect(topics, topic).toContain(topic);
    }
  });

  it('passes `pelita flows check` with no errors', () => {
    expect(lintContent(SHIPPED_CONTENT).filter((problem) => problem.severity === 'error' && problem.file.includes('answers'))).toEqual([]);
  });
});

describe('answer bank checks', () => {
  it('names the file and the card when a card is broken, and stops start-up', () => {
    const copy = copyContent();
    copy.edit('content/answers/routes-documents.yaml', (text) => text.replace(/verifiedOn: "2026-11"/, 'verifiedOn: "last year"'));
    expect(() => loadAnswerBank(copy.content)).toThrow(ContentError);
    expect(() => loadAnswerBank(copy.content)).toThrow(/routes-documents\.yaml:\d+: card rd-[a-z-]+: verifiedOn: expected YYYY-MM/);
  });

  it('refuses an unknown contact and a follow-up to a card that does not exist', () => {
    const copy = copyContent();
    copy.edit('content/answers/routes-documents.yaml', (text) =>
      text.replace('kp2mi_call_centre', 'kp2mi_call_center').replace(/\{ card: rd-[a-z-]+,/, '{ card: rd-no-such-card,'),
    );
    const { problems } = readAnswerBank(copy.content, loadContacts(copy.content));
    expect(problems.map((problem) => problem.rule)).toEqual(expect.arrayContaining(['missing-contact', 'missing-card']));
  });

  it('flags a number typed into an answer, an answer too long for a phone, and a question two cards claim', () => {
    const copy = copyContent();
    copy.edit('content/answers/home-family.yaml', (text) => {
      const withNumber = text.replace(/(answer:\n\s+id: ")/, '$1Hubungi 0800-1000. ');
      return withNumber.replace(/(\n\s+en: ")([^"]{10})/, `$1${'x'.repeat(MAX_ANSWER_CHARS)}$2`);
    });
    const firstQuestion = bank.cards[0]!.questions.id[0]!;
    copy.edit('content/answers/scams-trafficking.yaml', (text) =>
      text.replace(/(questions:\n\s+id:\n\s+- )"[^"]*"/, `$1${JSON.stringify(firstQuestion)}`),
    );
    const rules = lintContent(copy)
      .filter((problem) => problem.severity === 'error')
      .map((problem) => problem.rule);
    expect(rules).toEqual(expect.arrayContaining(['phone-number-in-text', 'answer-too-long', 'duplicate-question']));
  });
});

describe('retrieval', () => {
  it('finds the card for questions typed as people type them', () => {
    expect(retriever.find('boleh gk agen nahan paspor sy?').card).toBe('rd-passport-held');
    expect(retriever.find('is my agent allowed to keep my passport?').card).toBe('rd-passport-held');
    expect(retriever.find('umur sy 17 thn boleh daftar ke taiwan gk').card).toBe('rd-minimum-age');
  });

  it('is not confident about chatter', () => {
    for (const chatter of ['tell me a joke pls', 'siapa juara piala dunia kemarin', 'good night']) {
      expect(retriever.find(chatter).confidence, chatter).toBeLessThan(ANSWER_POLICY.answer);
    }
  });

  // The development questions were read while tuning the weights and thresholds
  // (`npm run bench:answers-calibrate`); the held-out questions below were only scored.
  it('does well on the development questions it was tuned on', () => {
    const metrics = evaluateAnswers(
      retriever,
      loadLabelledQuestions(path.join(import.meta.dirname, 'answers', 'dev-questions.yaml')),
      ANSWER_POLICY,
    );
    expect(metrics.top1).toBeGreaterThanOrEqual(0.85);
    expect(metrics.top3).toBeGreaterThanOrEqual(0.95);
    expect(metrics.answered_wrong).toBeLessThanOrEqual(0.05);
  });

  it('answers held-out questions with the right card', () => {
    const questions = loadLabelledQuestions(path.join(import.meta.dirname, 'answers', 'heldout-questions.yaml'));
    expect(questions.filter((question) => question.card !== 'none').length).toBeGreaterThanOrEqual(200);
    for (const question of questions) if (question.card !== 'none') expect(bank.get(question.card), question.card).toBeDefined();
    const metrics = evaluateAnswers(retriever, questions, ANSWER_POLICY);
    expect(metrics.top1).toBeGreaterThanOrEqual(HELD_OUT_BAR.top1);
    expect(metrics.top3).toBeGreaterThanOrEqual(HELD_OUT_BAR.top3);
  });
});

describe('pelita answer', () => {
  it('prints the card, its confidence and the alternatives as JSON', () => {
    const run = answerCli(['--json'], 'is my agent allowed to keep my passport?');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as { card: string; confidence: number; alternatives: { card: string; confidence: number }[] };
    expect(result.card).toBe('rd-passport-held');
    expect(result.confidence).toBeGreaterThan(0);
    expect(result.alternatives.length).toBeGreaterThan(0);
    expect(result.alternatives.every((alternative) => alternative.confidence <= result.confidence)).toBe(true);
  });

  it('says what to type when stdin is empty', () => {
    const run = answerCli(['--json'], '');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/reads a message on standard input/);
  });
});

describe('answers in the engine', () => {
  const ctx = loadEngineContext();
  const ask = (session: Session, text: string, n: number, choice?: string) => {
    const inbound: Inbound = {
      channel: 'console',
      conversationId: 'console:answers',
      messageId: `m${n}`,
      text,
      receivedAt: '2026-12-01T00:00:00Z',
      ...(choice ? { choice } : {}),
    };
    if (!choice) {
      const found = retriever.find(text, 3);
      inbound.nlu = {
        language: 'en',
        languageConfidence: 1,
        intent: 'unknown',
        confidence: 0,
        emergency: false,
        emergencyByRule: false,
        answers: found.card ? [{ card: found.card, confidence: found.confidence }, ...found.alternatives] : [],
      };
    }
    return step(session, inbound, ctx);
  };

  it('answers a typed question at the menu, counts it, and counts the rating', () => {
    const session: Session = { ...newSession('console:answers', '2026-12-01T00:00:00Z'), language: 'en', vars: { welcomed: true } };
    const first = ask(session, 'is my agent allowed to keep my passport?', 1);
    expect(first.replies[0]?.text).toContain('Was this helpful?');
    expect(first.effects).toContainEqual({ type: 'answer_count', card: 'rd-passport-held', event: 'shown' });
    const rated = ask(first.session, '', 2, 'helpful');
    expect(rated.effects).toContainEqual({ type: 'answer_count', card: 'rd-passport-held', event: 'helpful' });
    expect(rated.replies[0]?.text).toContain('Thank you');
  });
});

describe('answer counts', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('keeps shown, helpful and not helpful per card, and nothing about who', async () => {
    const connection = openRedis(redis.url);
    try {
      const keys = new RedisKeys(redis.prefix);
      const counts = new AnswerCounts(connection, keys);
      await counts.record([
        { type: 'answer_count', card: 'rd-passport-held', event: 'shown' },
        { type: 'answer_count', card: 'rd-passport-held', event: 'helpful' },
        { type: 'delete_data' },
      ]);
      await counts.record([
        { type: 'answer_count', card: 'rd-passport-held', event: 'shown' },
        { type: 'answer_count', card: 'hf-mh-hopeless', event: 'not_helpful' },
      ]);
      expect(await counts.read()).toEqual({
        'rd-passport-held': { shown: 2, helpful: 1, not_helpful: 0 },
        'hf-mh-hopeless': { shown: 0, helpful: 0, not_helpful: 1 },
      });
      expect(await connection.keys(`${redis.prefix}:*`)).toEqual([keys.answerCounts()]);
    } finally {
      connection.disconnect();
    }
  });
});

/** The targets asked for; measured 2026-12-01 (scored twice, never read): top-1 0.927, top-3 0.982. See the README, "Answers to typed questions". */
const HELD_OUT_BAR = { top1: 0.9, top3: 0.97 };
