/**
 * What each platform can show natively as a menu. Renderers fall back to a numbered text
 * menu when choices do not fit; the linter warns where that happens.
 */
export const MENU_LIMITS = {
  /** WhatsApp Cloud reply buttons. */
  whatsappButtons: { maxChoices: 3, maxTitle: 20 },
  /** WhatsApp Cloud list messages. */
  whatsappList: { maxChoices: 10, maxTitle: 24 },
  /** Telegram inline keyboard callback_data, in bytes. */
  telegramCallbackBytes: 64,
  /** Pelita's own rule for people on small screens. */
  readableMaxChoices: 6,
} as const;

export type WhatsappMenuStyle = 'buttons' | 'list' | 'numbered-text';

/** How WhatsApp Cloud will show a menu with these labels. */
export function whatsappMenuStyle(labels: readonly string[]): WhatsappMenuStyle {
  const longest = Math.max(0, ...labels.map((label) => [...label].length));
  if (labels.length <= MENU_LIMITS.whatsappButtons.maxChoices && longest <= MENU_LIMITS.whatsappButtons.maxTitle) return 'buttons';
  if (labels.length <= MENU_LIMITS.whatsappList.maxChoices && longest <= MENU_LIMITS.whatsappList.maxTitle) return 'list';
  return 'numbered-text';
}
