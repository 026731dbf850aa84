import type { Choice } from '../flows/flow-schema.ts';

/** Lower case, accents and punctuation gone, spaces folded: "  Bahása-Indonesia! " -> "bahasa indonesia". */
export function normalizeAnswer(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Finds the choice a person meant: a pressed button's id, the menu number ("2", "2."), or
 * the label in any of the labels given (their language's, and others': a person may type
 * "English" to a menu shown in Indonesian).
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
  const exact = choices.find((choice) => labelsOf(choice).some((label) => normalizeAnswer(label) === typed));
  if (exact) return exact;
  // A short unambiguous start of a label ("eng", "bahasa") is a clear enough answer.
  if (typed.length >= 3) {
    const starts = choices.filter((choice) => labelsOf(choice).some((label) => normalizeAnswer(label).startsWith(typed)));
    if (starts.length === 1) return starts[0];
  }
  return undefined;
}
