import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { answersAtOnce, type AnswerRetriever, type AnswerThresholds } from './answer-retriever.ts';

/** A question and the card that answers it best, or `none` when no card should. */
export const labelledQuestionSchema = z.object({ text: z.coerce.string().min(1), language: z.string(), card: z.string().min(1) }).strict();
export type LabelledQuestion = z.infer<typeof labelledQuestionSchema>;

export function loadLabelledQuestions(file: string): LabelledQuestion[] {
  return z.object({ questions: z.array(labelledQuestionSchema).min(1) }).parse(parse(readFileSync(file, 'utf8'))).questions;
}

export interface AnswerMetrics {
  questions: number;
  /** Of the questions a card answers: the right card first, and among the first three. */
  top1: number;
  top3: number;
  /** Of the questions a card answers: answered at once with the right card (confident, no "did you mean"). */
  answered_right: number;
  /** Of all questions: answered at once with a wrong card, or with any card when none fits. */
  answered_wrong: number;
  ms_per_lookup: number;
}

/** Scores retrieval on labelled questions, as `pelita answer --evaluate` and `npm run bench` report it. */
export function evaluateAnswers(retriever: AnswerRetriever, questions: LabelledQuestion[], policy: AnswerThresholds): AnswerMetrics {
  let withCard = 0;
  let top1 = 0;
  let top3 = 0;
  let right = 0;
  let wrong = 0;
  const started = performance.now();
  for (const question of questions) {
    const found = retriever.find(question.text, 3);
    const ranked = [found.card, ...found.alternatives.map((match) => match.card)];
    const atOnce = found.card !== undefined && answersAtOnce(found, policy);
    if (question.card === 'none') {
      if (atOnce) wrong += 1;
      continue;
    }
    withCard += 1;
    if (ranked[0] === question.card) top1 += 1;
    if (ranked.includes(question.card)) top3 += 1;
    if (atOnce && found.card === question.card) right += 1;
    if (atOnce && found.card !== question.card) wrong += 1;
  }
  const elapsed = performance.now() - started;
  const share = (count: number, of: number) => Math.round((count / Math.max(1, of)) * 1000) / 1000;
  return {
    questions: questions.length,
    top1: share(top1, withCard),
    top3: share(top3, withCard),
    answered_right: share(right, withCard),
    answered_wrong: share(wrong, questions.length),
    ms_per_lookup: Math.round((elapsed / questions.length) * 1000) / 1000,
  };
}
