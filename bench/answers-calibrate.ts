/**
 * `npm run bench:answers-calibrate`: how the answer bank's retrieval weights and the engine's
 * thresholds trade right answers for wrong ones on the development questions
 * (tests/answers/dev-questions.yaml, read freely while tuning). Never run it on the held-out
 * questions: those measure, they do not choose.
 */
import { loadAnswerBank } from '../src/content/answer-bank.ts';
import { loadContacts } from '../src/content/contact-directory.ts';
import { AnswerRetriever, RETRIEVAL_SETTINGS } from '../src/nlu/answer-retriever.ts';
import { evaluateAnswers, loadLabelledQuestions } from '../src/nlu/evaluate-answers.ts';

const bank = loadAnswerBank('content', loadContacts('content'));
const questions = loadLabelledQuestions('tests/answers/dev-questions.yaml');
const mode = process.argv[2] ?? 'weights';
if (mode === 'weights') {
  for (const wordWeight of [0.6, 0.7, 0.8, 0.9]) {
    for (const cardWeight of [0.5, 0.6, 0.7, 0.8, 0.9, 1]) {
      for (const unknownWeight of [0.25, 0.5, 0.75, 1]) {
        const metrics = evaluateAnswers(new AnswerRetriever(bank, { wordWeight, cardWeight, unknownWeight }), questions, {
          answer: 1,
          suggest: 1,
          close: 0,
        });
        console.log(JSON.stringify({ wordWeight, cardWeight, unknownWeight, top1: metrics.top1, top3: metrics.top3 }));
      }
    }
  }
} else {
  // The engine's thresholds, for each weight of unknown words (which moves confidence, not ranking).
  for (const unknownWeight of [0.25, 0.5, 0.75, 1]) {
    const retriever = new AnswerRetriever(bank, { ...RETRIEVAL_SETTINGS, unknownWeight });
    for (const answer of [0.25, 0.3, 0.35, 0.4, 0.45]) {
      for (const close of [0.02, 0.04, 0.06]) {
        const metrics = evaluateAnswers(retriever, questions, { answer, suggest: answer - 0.1, close });
        console.log(
          JSON.stringify({ unknownWeight, answer, close, answered_right: metrics.answered_right, answered_wrong: metrics.answered_wrong }),
        );
      }
    }
  }
}
