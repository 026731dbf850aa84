import type { InputKind } from '../flows/flow-schema.ts';

/** The locale key that explains a bad answer, by what was asked. */
export const INVALID_KEYS: Record<InputKind | 'menu', string> = {
  menu: 'ask.invalid_choice',
  choice: 'ask.invalid_choice',
  choices: 'ask.invalid_choices',
  yes_no: 'ask.invalid_yes_no',
  number: 'ask.invalid_number',
  text: 'ask.invalid_text',
  country: 'ask.invalid_country',
  province: 'ask.invalid_province',
  district: 'ask.invalid_district',
  location: 'ask.invalid_location',
};

/**
 * How sure the classifier must be that a message is out of Pelita's scope to say so (and to
 * offer no card). On the last five labelled sets, each scored by models trained only on the
 * sets before it (`npm run bench:nlu-folds`), none of the messages read as chatter at 0.7 or
 * more was labelled anything else; at 0.65 one question was (a test date asked).
 */
export const CHATTER_CONFIDENCE = 0.7;

/** Where the engine sends a person who was not understood: a kind word, the menu, a person to talk to. */
export const NOT_UNDERSTOOD = { flow: 'main', node: 'not_understood' } as const;

/** Where the engine waits after an answer from the answer bank, and after "did you mean ...?". */
export const ANSWER_FEEDBACK = { flow: 'answers', node: 'feedback' } as const;
export const DID_YOU_MEAN = { flow: 'answers', node: 'did_you_mean' } as const;

/** Keys the engine itself uses, whatever the flows say: every language needs them. */
export const ENGINE_KEYS = [
  'common.error',
  'common.checked_on',
  'common.checked_on_old_source',
  'common.noted_situation',
  'common.noted_at_sea',
  'ask.out_of_scope',
  'answers.was_it_helpful',
  'answers.did_you_mean',
  'common.dead_letter',
] as const;

/** Labels of the choices the engine adds itself. */
export const BUILT_IN_CHOICE_LABELS = { yes: 'common.yes', no: 'common.no', skip: 'common.skip' } as const;

/** Contacts the engine shows itself (the fallback reply names the police; the safe answer to a dead letter, KP2MI). */
export const ENGINE_CONTACTS = ['police_110'] as const;
