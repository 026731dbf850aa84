import type { Reply } from '../../core/messages/reply.ts';
import { renderAsNumberedText } from '../numbered-text.ts';

/** The Cloud API's limits for interactive messages (reply buttons and lists) and for text. */
export const LIMITS = { buttons: 3, buttonTitle: 20, rows: 10, rowTitle: 24, interactiveBody: 1024, text: 4096, id: 200 } as const;

/** One Graph API message body, without `messaging_product` and `to`. */
export type CloudMessage =
  | { type: 'text'; text: { body: string; preview_url: false } }
  | { type: 'interactive'; interactive: Record<string, unknown> };

/**
 * A reply as Cloud API messages: up to 3 short choices as reply buttons, up to 10 as a
 * list, anything else (or a text too long for an interactive body) as numbered text, split
 * at sentence boundaries when over 4,096 characters.
 */
export function renderForCloud(reply: Reply, listButton: string): CloudMessage[] {
  const choices = reply.choices ?? [];
  const fits = (max: number) => choices.every((choice) => choice.label.length <= max && choice.id.length <= LIMITS.id);
  const body = { text: reply.text };
  if (choices.length > 0 && reply.text.length <= LIMITS.interactiveBody && reply.text.trim() !== '') {
    if (choices.length <= LIMITS.buttons && fits(LIMITS.buttonTitle)) {
      const buttons = choices.map((choice) => ({ type: 'reply', reply: { id: choice.id, title: choice.label } }));
      return [{ type: 'interactive', interactive: { type: 'button', body, action: { buttons } } }];
    }
    if (choices.length <= LIMITS.rows && fits(LIMITS.rowTitle)) {
      const rows = choices.map((choice) => ({ id: choice.id, title: choice.label }));
      return [
        {
          type: 'interactive',
          interactive: { type: 'list', body, action: { button: listButton.slice(0, LIMITS.buttonTitle), sections: [{ rows }] } },
        },
      ];
    }
  }
  return renderAsNumberedText(reply, LIMITS.text).map((part) => ({ type: 'text', text: { body: part, preview_url: false } }));
}
