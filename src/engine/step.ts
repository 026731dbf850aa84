import type { AskNode, Condition, VariableValue } from '../flows/flow-schema.ts';
import type { Inbound } from '../messages/inbound.ts';
import type { Reply } from '../messages/reply.ts';
import type { EngineContext } from './engine-context.ts';
import { matchChoice } from './match-choice.ts';
import { renderChoices, renderText } from './render-reply.ts';
import type { Session } from './session.ts';

export interface StepResult {
  session: Session;
  replies: Reply[];
  /** Set when the content itself is at fault (a loop); the person got a friendly fallback. */
  contentError?: string;
}

interface Position {
  flow: string;
  node: string;
}

const ENTRY: Position = { flow: 'main', node: '' };
const DEFAULT_MAX_STEPS = 50;

/**
 * The conversation engine: (session, message) -> (new session, replies). Pure and
 * deterministic: no I/O, no clock (time comes in on the message), so it is tested without
 * Redis and a retried job computes the very same replies.
 */
export function step(previous: Session, inbound: Inbound, ctx: EngineContext): StepResult {
  const session: Session = structuredClone(previous);
  session.updatedAt = inbound.receivedAt;
  if (!session.language && inbound.languageHint && ctx.translator.languages.includes(inbound.languageHint)) {
    session.language = inbound.languageHint;
  }
  const replies: Reply[] = [];
  const waiting = session.waiting;
  const waitingNode = waiting ? ctx.flows.node(waiting.flow, waiting.node) : undefined;

  let from: Position;
  if (waiting && waitingNode?.type === 'ask') {
    const labelsOf = (choice: AskNode['choices'][number]) =>
      ctx.translator.languages.map((language) => ctx.translator.t(choice.label, language));
    const chosen = matchChoice(waitingNode.choices, inbound, labelsOf);
    if (!chosen) {
      // One short message: the hint and the same menu, not the whole question again.
      const language = languageOf(session, ctx);
      replies.push({
        text: ctx.translator.t('common.not_understood', language, { count: waitingNode.choices.length }),
        choices: renderChoices(ctx, waitingNode.choices, language),
      });
      session.waiting = { ...waiting, retries: waiting.retries + 1 };
      return { session, replies };
    }
    applyValues(session, chosen.set ?? {}, ctx);
    from = ctx.flows.resolve(waiting.flow, chosen.goto);
  } else {
    // A new conversation, or a stored question that a content change removed: start over
    // at the entry rather than fail.
    from = { ...ENTRY, node: ctx.flows.flows.get('main')?.start ?? '' };
  }
  session.waiting = undefined;
  return run(session, from, replies, ctx);
}

function run(session: Session, start: Position, replies: Reply[], ctx: EngineContext): StepResult {
  let position = start;
  const maxSteps = ctx.maxSteps ?? DEFAULT_MAX_STEPS;
  for (let steps = 0; steps < maxSteps; steps++) {
    const node = ctx.flows.node(position.flow, position.node);
    if (!node) return fallback(session, replies, ctx, `node ${position.flow}:${position.node} does not exist`);
    const language = languageOf(session, ctx);
    const go = (target: string) => ctx.flows.resolve(position.flow, target);
    switch (node.type) {
      case 'say':
        replies.push({ text: renderText(ctx, node.text, language, node.contacts) });
        if (!node.next) return { session, replies };
        position = go(node.next);
        break;
      case 'ask':
        replies.push(renderAsk(ctx, node, session));
        session.waiting = { ...position, retries: 0 };
        return { session, replies };
      case 'switch': {
        const match = node.cases.find((c) => holds(c.when, session));
        position = go(match ? match.goto : node.default);
        break;
      }
      case 'set':
        applyValues(session, node.values, ctx);
        position = go(node.next);
        break;
      case 'goto':
        position = go(node.target);
        break;
      case 'end':
        return { session, replies };
    }
  }
  return fallback(session, replies, ctx, `more than ${maxSteps} nodes ran for one message (a loop?) near ${position.flow}:${position.node}`);
}

function renderAsk(ctx: EngineContext, node: AskNode, session: Session): Reply {
  const language = languageOf(session, ctx);
  const text =
    node.bilingual && !session.language
      ? bilingualOrder(ctx).map((lng) => renderText(ctx, node.text, lng, node.contacts)).join('\n\n')
      : renderText(ctx, node.text, language, node.contacts);
  return { text, choices: renderChoices(ctx, node.choices, language) };
}

/** The fallback (first context's) language first, then the others. */
function bilingualOrder(ctx: EngineContext): string[] {
  const { fallback: first, languages } = ctx.translator;
  return [first, ...languages.filter((language) => language !== first)];
}

function fallback(session: Session, replies: Reply[], ctx: EngineContext, contentError: string): StepResult {
  session.waiting = undefined;
  replies.push({ text: renderText(ctx, 'common.error', languageOf(session, ctx), ['police_110']) });
  return { session, replies, contentError };
}

function languageOf(session: Session, ctx: EngineContext): string {
  return session.language ?? ctx.translator.fallback;
}

/** `language` is a variable to flows, kept on the session itself because every reply needs it. */
function applyValues(session: Session, values: Record<string, VariableValue>, ctx: EngineContext): void {
  for (const [name, value] of Object.entries(values)) {
    if (name === 'language') {
      if (typeof value === 'string' && ctx.translator.languages.includes(value)) session.language = value;
    } else {
      session.vars[name] = value;
    }
  }
}

function holds(condition: Condition, session: Session): boolean {
  const read = (name: string) => (name === 'language' ? session.language : session.vars[name]);
  if ('exists' in condition) return read(condition.exists) !== undefined;
  return read(condition.equals[0]) === condition.equals[1];
}
