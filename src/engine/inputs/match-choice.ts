import type { Choice } from '../../flows/flow-schema.ts';
import { editDistance, normalizeAnswer } from '../../text/normalize.ts';

/** Typos forgiven in a label: none for short words (they collide), more for long ones. */
function typoAllowance(label: string): number {
  if (label.length >= 9) return 2;
  if (label.length >= 5) return 1;
  return 0;
}

/**
 * Finds the choice a person meant: a pressed button's id, the menu number ("2", "2."),
 * or the label in any language (a person may type "English" to a menu shown in
 * Indonesian), ignoring case, accents and punctuation, forgiving small typos, or a
 * clear start of one label ("eng"). Ambiguity is never resolved by guessing.
 */
export function matchChoice(
  choices: readonly Choice[],
  answer: { choice?: string | undefined; text?: string | undefined },
  labelsOf: (choice: Choice) => string[],
): Choice | undefined {
  if (answer.choice !== undefined) {
    const byId = choices.find((choice) => choice.id === answer.choice);
    if (byId) return byId;
  }
  const typed = normalizeAnswer(answer.text ?? answer.choice ?? '');
  if (typed === '') return undefined;
  if (/^\d+$/.test(typed)) return choices[Number(typed) - 1];

  const labels = choices.map((choice) => ({ choice, labels: labelsOf(choice).map(normalizeAnswer) }));
  const unique = (found: Choice[]) => (new Set(found).size === 1 ? found[0] : undefined);

  const exact = labels.filter(({ labels }) => labels.includes(typed)).map(({ choice }) => choice);
  if (exact.length > 0) return unique(exact);

  const close = labels
    .flatMap(({ choice, labels }) => labels.map((label) => ({ choice, distance: editDistance(typed, label, typoAllowance(label)), label })))
    .filter(({ distance, label }) => distance <= typoAllowance(label));
  if (close.length > 0) {
    const best = Math.min(...close.map(({ distance }) => distance));
    return unique(close.filter(({ distance }) => distance === best).map(({ choice }) => choice));
  }

  if (typed.length >= 3) {
    const starts = unique(labels.filter(({ labels }) => labels.some((label) => label.startsWith(typed))).map(({ choice }) => choice));
    if (starts) return starts;
  }
  // Every typed word is a word of one label: "indonesia" for "Bahasa Indonesia".
  if (typed.length >= 4) {
    const words = typed.split(' ');
    return unique(labels.filter(({ labels }) => labels.some((label) => words.every((word) => label.split(' ').includes(word)))).map(({ choice }) => choice));
  }
  return undefined;
}

/** Only a button id, a menu number or a whole label: the person is plainly answering the menu. */
export function matchesChoiceExactly(
  choices: readonly Choice[],
  answer: { choice?: string | undefined; text?: string | undefined },
  labelsOf: (choice: Choice) => string[],
): boolean {
  if (answer.choice !== undefined && choices.some((choice) => choice.id === answer.choice)) return true;
  const typed = normalizeAnswer(answer.text ?? '');
  if (/^\d+$/.test(typed)) return choices[Number(typed) - 1] !== undefined;
  return typed !== '' && choices.some((choice) => labelsOf(choice).some((label) => normalizeAnswer(label) === typed));
}
