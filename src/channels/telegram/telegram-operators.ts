import { GrammyError, type Api } from 'grammy';
import type { Update } from 'grammy/types';
import type { Case } from '../../cases/case.ts';
import { CaseActionError, type CaseDesk, type OperatorChannel, type Operator } from '../../cases/case-desk.ts';
import type { Logger } from '../../core/log/logger.ts';
import { escapeHtml } from './telegram-render.ts';

const CLAIM_PREFIX = 'claim:';
/** Who may act on cases: still in the group. ("restricted" members may be, "left" and "kicked" are not.) */
const MEMBER_STATUSES = new Set(['creator', 'administrator', 'member']);

/**
 * The operators' Telegram group (OPERATORS_TELEGRAM_CHAT_ID): each case is posted with a
 * claim button; replies in a case's thread go to the person; `/resolve` hands them back
 * to the bot. Only current members of the group (and, if set, those on the allow-list)
 * can act.
 */
export class TelegramOperators implements OperatorChannel {
  private desk: CaseDesk | undefined;

  constructor(
    private readonly deps: {
      api: Api;
      chatId: number;
      /** Optional allow-list of Telegram user ids, on top of group membership. */
      allowedUserIds: readonly number[];
      say: (key: string, values?: Record<string, string | number>) => string;
      log: Logger;
      /** Waits for a notice's slot in the bot's pace, after replies (see NoticePacer). */
      pace?: (() => Promise<void>) | undefined;
    },
  ) {}

  /** The desk acts on what operators do; it is made after this channel, which it posts through. */
  attach(desk: CaseDesk): void {
    this.desk = desk;
  }

  async postCase(found: Case, overdue: boolean): Promise<number> {
    const { say } = this.deps;
    const text = say(overdue ? 'operators.overdue_case' : 'operators.new_case', {
      id: found.id,
      reason: found.reason,
      language: found.language ?? say('operators.unknown'),
      country: found.country ?? say('operators.unknown'),
      situation: found.situation
        ? Object.entries(found.situation)
            .map(([name, value]) => `${name} ${value}`)
            .join(' · ')
        : say('operators.unknown'),
      openedAt: found.openedAt,
    });
    await this.deps.pace?.();
    const sent = await this.deps.api.sendMessage(this.deps.chatId, escapeHtml(text), {
      parse_mode: 'HTML',
      reply_markup: {
        inline_keyboard: [[{ text: say('operators.claim_button', { id: found.id }), callback_data: `${CLAIM_PREFIX}${found.id}` }]],
      },
    });
    return sent.message_id;
  }

  async postInThread(found: Case, text: string): Promise<number> {
    await this.deps.pace?.();
    const sent = await this.deps.api.sendMessage(this.deps.chatId, escapeHtml(text), {
      parse_mode: 'HTML',
      ...(found.threadMessageId ? { reply_parameters: { message_id: found.threadMessageId, allow_sending_without_reply: true } } : {}),
    });
    return sent.message_id;
  }

  /** Handles an update from the operators' group; false for any other chat. */
  async handleUpdate(update: Update): Promise<boolean> {
    const desk = this.desk;
    const query = update.callback_query;
    const message = update.message;
    const chatId = query?.message?.chat.id ?? message?.chat.id;
    if (chatId !== this.deps.chatId || !desk) return false;
    const from = query?.from ?? message?.from;
    if (!from) return true;
    const operator: Operator = { id: String(from.id), name: from.username ? `@${from.username}` : from.first_name };

    if (query) {
      const answer = (text?: string) =>
        this.deps.api.answerCallbackQuery(query.id, text ? { text, show_alert: true } : {}).catch(() => undefined);
      if (!query.data?.startsWith(CLAIM_PREFIX)) {
        await answer();
        return true;
      }
      if (!(await this.mayAct(from.id))) {
        await answer(this.deps.say('operators.not_allowed'));
        return true;
      }
      try {
        await desk.claim(query.data.slice(CLAIM_PREFIX.length), operator);
        await answer();
      } catch (error) {
        await answer(error instanceof CaseActionError ? error.message : 'error');
        if (!(error instanceof CaseActionError)) throw error;
      }
      return true;
    }

    const repliedTo = message?.reply_to_message?.message_id;
    const text = message?.text?.trim();
    if (repliedTo === undefined || !text) return true;
    const caseId = await desk.store.caseOfThread(repliedTo);
    if (!caseId) return true;
    if (!(await this.mayAct(from.id))) {
      await this.reply(message!.message_id, this.deps.say('operators.not_allowed'));
      return true;
    }
    try {
      if (/^\/resolve(@\w+)?$/i.test(text)) await desk.resolve(caseId, operator);
      else await desk.reply(caseId, operator, text, `tg${update.update_id}`);
    } catch (error) {
      if (!(error instanceof CaseActionError)) throw error;
      await this.reply(message!.message_id, error.message);
    }
    return true;
  }

  private async mayAct(userId: number): Promise<boolean> {
    const { allowedUserIds, api, chatId } = this.deps;
    if (allowedUserIds.length > 0 && !allowedUserIds.includes(userId)) return false;
    try {
      const member = await api.getChatMember(chatId, userId);
      return MEMBER_STATUSES.has(member.status) || (member.status === 'restricted' && member.is_member);
    } catch (error) {
      // Telegram answers 400 for someone who was never in the group.
      if (error instanceof GrammyError && error.error_code === 400) return false;
      throw error;
    }
  }

  private async reply(messageId: number, text: string): Promise<void> {
    await this.deps.api
      .sendMessage(this.deps.chatId, escapeHtml(text), { reply_parameters: { message_id: messageId, allow_sending_without_reply: true } })
      .catch((error: Error) => this.deps.log.warn({ err: error }, 'could not answer an operator'));
  }
}
