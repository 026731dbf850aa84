import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { FlowProblem } from './flow-problem.ts';
import { YamlSource } from './yaml-source.ts';
import { answerCardSchema, type AnswerCard, type CardCondition, type CardContact } from './answer-card-schema.ts';
import type { ContactDirectory } from './contact-directory.ts';
import { ContentError } from './content-error.ts';

/** What a card's condition is checked against: the person's situation, as the engine reads it. */
export interface CardSituation {
  where?: 'abroad' | 'indonesia' | 'at_sea' | undefined;
  /** Where they are abroad now, and where they plan to go. */
  countries: readonly string[];
  stage?: string | undefined;
  sector?: string | undefined;
}

/** The answer a person gets from a card: the text for their situation and its contacts. */
export interface SelectedAnswer {
  text: Record<string, string>;
  contacts: CardContact[];
}

function matches(when: CardCondition, situation: CardSituation): boolean {
  if (when.where && when.where !== situation.where) return false;
  if (when.destination && !when.destination.some((code) => situation.countries.includes(code))) return false;
  if (when.stage && (!situation.stage || !(when.stage as readonly string[]).includes(situation.stage))) return false;
  if (when.sector && (!situation.sector || !(when.sector as readonly string[]).includes(situation.sector))) return false;
  return true;
}

/** The sourced answers to the questions people type, from content/answers/*.yaml. */
export class AnswerBank {
  private readonly byId: ReadonlyMap<string, AnswerCard>;

  constructor(readonly cards: readonly AnswerCard[]) {
    this.byId = new Map(cards.map((card) => [card.id, card]));
  }

  get(id: string): AnswerCard | undefined {
    return this.byId.get(id);
  }

  /** The first variant whose condition fits the person, else the card's own answer. */
  select(card: AnswerCard, situation: CardSituation): SelectedAnswer {
    const variant = card.variants?.find((candidate) => matches(candidate.when, situation));
    return { text: variant?.answer ?? card.answer, contacts: variant?.contacts ?? card.contacts ?? [] };
  }
}

/** Where a card stands: its file, the line of its id, and its position, for a line number of any field. */
export interface CardPlace {
  file: string;
  line: number | undefined;
  source: YamlSource;
  index: number;
}

/** The bank's folder inside content/. A deployment without one simply has no answers. */
export const ANSWERS_DIR = 'answers';

/**
 * Reads every card file, card by card, so one broken card does not hide the others. With
 * the contact directory, contact ids are checked too. Problems are errors that stop start-up.
 */
export function readAnswerBank(
  contentDir: string,
  contacts?: ContactDirectory,
): { bank: AnswerBank; problems: FlowProblem[]; lines: Map<string, CardPlace> } {
  const dir = path.join(contentDir, ANSWERS_DIR);
  const cards: AnswerCard[] = [];
  const problems: FlowProblem[] = [];
  const lines = new Map<string, CardPlace>();
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => name.endsWith('.yaml'))
        .sort()
    : [];
  for (const name of files) {
    const file = path.join(dir, name);
    const source = new YamlSource(file);
    if (source.errors.length > 0) {
      problems.push(...source.syntaxProblems());
      continue;
    }
    const list = (source.value as { cards?: unknown } | null)?.cards;
    if (!Array.isArray(list)) {
      problems.push({ severity: 'error', rule: 'schema', file, line: 1, message: 'expected a list under "cards"' });
      continue;
    }
    list.forEach((entry: unknown, index) => {
      const parsed = answerCardSchema.safeParse(entry);
      const id = (entry as { id?: unknown } | null)?.id;
      const label = `card ${typeof id === 'string' ? id : `#${index + 1}`}`;
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const field = issue.path.join('.');
          const rule = field.startsWith('sources') || field === 'verifiedOn' ? 'card-provenance' : 'schema';
          problems.push({
            severity: 'error',
            rule,
            file,
            line: source.lineOf(['cards', index, ...issue.path]),
            message: `${label}: ${field ? `${field}: ` : ''}${issue.message}`,
          });
        }
        return;
      }
      const card = parsed.data;
      if (lines.has(card.id)) {
        problems.push({
          severity: 'error',
          rule: 'duplicate-card',
          file,
          line: source.lineOf(['cards', index, 'id']),
          message: `card id "${card.id}" appears twice`,
        });
        return;
      }
      lines.set(card.id, { file, line: source.lineOf(['cards', index, 'id']), source, index });
      cards.push(card);
    });
  }
  const bank = new AnswerBank(cards);
  for (const card of cards) {
    const where = lines.get(card.id);
    const at = { file: where?.file ?? dir, line: where?.line };
    for (const follow of card.follow_up ?? []) {
      if ('card' in follow && !bank.get(follow.card))
        problems.push({
          severity: 'error',
          rule: 'missing-card',
          ...at,
          message: `card ${card.id}: follow_up names card "${follow.card}", which does not exist`,
        });
    }
    if (!contacts) continue;
    const named = [...(card.contacts ?? []), ...(card.variants ?? []).flatMap((variant) => variant.contacts ?? [])];
    for (const contact of named) {
      if (typeof contact === 'string' && !contacts.get(contact))
        problems.push({
          severity: 'error',
          rule: 'missing-contact',
          ...at,
          message: `card ${card.id}: contact "${contact}" is not in the directory`,
        });
    }
  }
  return { bank, problems, lines };
}

/** For running Pelita: the bank, or an error naming the file, line and card. */
export function loadAnswerBank(contentDir: string, contacts?: ContactDirectory): AnswerBank {
  const { bank, problems } = readAnswerBank(contentDir, contacts);
  const first = problems[0];
  if (first) throw new ContentError(first.file, first.message, first.line);
  return bank;
}
