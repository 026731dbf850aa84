import type { LoggedReply } from '../../pipeline/reply-log/reply-log.ts';

/** A reply as a terminal shows it: the text, then the menu numbered from 1. */
export function renderForTerminal(reply: LoggedReply): string {
  const menu = reply.choices.map((choice, index) => `  ${index + 1}. ${choice.label}`);
  return [reply.text, ...menu].join('\n');
}

/** The `--json` line for one reply. */
export function renderAsJson(reply: LoggedReply): string {
  return JSON.stringify({ id: reply.id, inReplyTo: reply.inReplyTo, text: reply.text, choices: reply.choices });
}
