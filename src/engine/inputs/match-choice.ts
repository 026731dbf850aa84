import type { Choice } from '../../flows/flow-schema.ts';
import { editDistance, normalizeAnswer } from '../../core/text/normalize.ts';

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
  /** The choice's labels in every language, normalised (normalizeAnswer). */
  labelsOf: (choice: Choice) => readonly string[],
): Choice | undefined {
  if (answer.choice !== undefined) {
    const byId = choices.find((choice) => choice.id === answer.choice);
    if (byId) return byId;
  }
  const typed = normalizeAnswer(answer.text ?? answer.choice ?? '');
  if (typed === '') return undefined;
  if (/^\d+$/.test(typed)) return choices[Number(typed) - 1];

  const exact = choices.filter((choice) => labelsOf(choice).includes(typed));
  if (exact.length > 0) return unique(exact);

  // The closest labels within their typo allowance.
  let best = Number.POSITIVE_INFINITY;
  let closest: Choice[] = [];
  for (const choice of choices) {
    for (const label of labelsOf(choice)) {
      const allowance = typoAllowance(label);
      const distance = editDistance(typed, label, allowance);
      if (distance > allowance || distance > best) continue;
      if (distance < best) [best, closest] = [distance, []];
      closest.push(choice);
    }
  }
  if (closest.length > 0) return unique(closest);

  if (typed.length >= 3) {
    const starts = unique(choices.filter((choice) => labelsOf(choice).some((label) => label.startsWith(typed))));
    if (starts) return starts;
  }
  // Every typed word is a word of one label: "indonesia" for "Bahasa Indonesia".
  if (typed.length >= 4) {
    const words = typed.split(' ');
    return unique(choices.filter((choice) => labelsOf(choice).some((label) => words.every((word) => label.split(' ').includes(word)))));
  }
  return undefined;
}

/** The one choice found (a choice may be found by several of its labels), or none when several. */
function unique(found: Choice[]): Choice | undefined {
  return new Set(found).size === 1 ? found[0] : undefined;
}

/** Only a button id, a menu number or a whole label: the person is plainly answering the menu. */
export function matchesChoiceExactly(
  choices: readonly Choice[],
  answer: { choice?: string | undefined; text?: string | undefined },
  /** As for matchChoice: normalised labels. */
  labelsOf: (choice: Choice) => readonly string[],
): boolean {
  if (answer.choice !== undefined && choices.some((choice) => choice.id === answer.choice)) return true;
  const typed = normalizeAnswer(answer.text ?? '');
  if (/^\d+$/.test(typed)) return choices[Number(typed) - 1] !== undefined;
  return typed !== '' && choices.some((choice) => labelsOf(choice).includes(typed));
}
