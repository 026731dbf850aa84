import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PelitaRuntime } from '../src/app/pelita-runtime.ts';
import { startTestPelita } from './harness/test-pelita.ts';
import {
  botMessagesTo,
  recordingTransformer,
  TEST_BOT_TOKEN,
  useTelegramTestbed,
  waitForBotMessages,
  type RecordedCall,
} from './harness/telegram-emulator.ts';

const bed = useTelegramTestbed();

type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };
const texts = (chatId: number) => botMessagesTo(bed.emulator, chatId).map((message) => message.text);

/** Group membership, as Telegram's getChatMember would answer (the emulator lacks it). */
const members = new Map<number, string>([
  [555, 'member'],
  [556, 'administrator'],
  [666, 'left'],
]);
const operatorsApi = (calls: RecordedCall[], failOperatorPosts = 0) => {
  let failed = 0;
  return recordingTransformer(calls, (call) => {
    if (call.method === 'getChatMember')
      return { ok: true, result: { status: members.get(Number(call.payload.user_id)) ?? 'left', user: { id: call.payload.user_id } } };
    if (call.method === 'sendMessage' && Number(call.payload.chat_id) < 0 && failed < failOperatorPosts) {
      failed += 1;
      return { ok: false, error_code: 502, description: 'Bad Gateway' };
    }
    return undefined;
  });
};

describe('escalation to case workers on Telegram', () => {
  const OPERATORS = -100500;
  let runtime: PelitaRuntime;
  const calls: RecordedCall[] = [];

  beforeAll(async () => {
    ({ runtime } = await startTestPelita(
      bed.redis,
      {
        TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
        TELEGRAM_API_ROOT: bed.emulator.config.apiURL,
        TELEGRAM_CHAT_RATE_PER_S: '100',
        OPERATORS_TELEGRAM_CHAT_ID: String(OPERATORS),
      },
      'all',
      { configureTelegramApi: operatorsApi(calls) },
    ));
  });
  afterAll(async () => {
    await runtime?.stop(2000);
  });

  const person = 4242;
  const operatorClient = (userId: number) =>
    bed.emulator.getClient(TEST_BOT_TOKEN, {
      userId,
      chatId: OPERATORS,
      type: 'supergroup',
      firstName: `op${userId}`,
      userName: `op${userId}`,
    });
  let caseId = '';
  let thread = 0;

  it('answers an emergency in the middle of a flow with hotlines in the same turn, opens a case and tells the operators', async () => {
    const client = bed.emulator.getClient(TEST_BOT_TOKEN, { userId: person, chatId: person });
    await client.sendMessage(client.makeMessage('halo', { from: { id: person, is_bot: false, first_name: 'Rina', language_code: 'id' } }));
    await waitForBotMessages(bed.emulator, person, (messages) => messages.some((message) => message.reply_markup));
    await client.sendMessage(client.makeMessage('1'));
    const before = (await waitForBotMessages(bed.emulator, person, (messages) => messages.length >= 4)).length;
    await client.sendMessage(client.makeMessage('tolong saya dikurung majikan tidak boleh keluar'));
    const after = await waitForBotMessages(bed.emulator, person, (messages) =>
      messages.slice(before).some((message) => /hapus percakapan ini/.test(message.text)),
    );
    expect(
      after
        .slice(before)
        .map((message) => message.text)
        .join('\n'),
    ).toMatch(/110[\s\S]*SAPA 129[\s\S]*\+62 21 29244800/);

    const found = await expect.poll(() => runtime.cases.store.activeFor(`telegram:${person}`)).toBeDefined();
    void found;
    const active = (await runtime.cases.store.activeFor(`telegram:${person}`))!;
    expect(active).toMatchObject({ reason: 'emergency', status: 'open', language: 'id', channel: 'telegram' });
    caseId = active.id;

    const posted = await waitForBotMessages(bed.emulator, OPERATORS, (messages) =>
      messages.some((message) => message.text.includes(caseId)),
    );
    const notice = posted.find((message) => message.text.includes(caseId))!;
    expect((notice.reply_markup as Keyboard).inline_keyboard[0]![0]!.callback_data).toBe(`claim:${caseId}`);
    // Nothing the person wrote is in the notice.
    expect(notice.text).not.toMatch(/dikurung/);
    await expect.poll(async () => (await runtime.cases.store.get(caseId))?.threadMessageId).toBeDefined();
    thread = (await runtime.cases.store.get(caseId))!.threadMessageId!;
  });

  it('refuses a claim from someone who is not in the operators group', async () => {
    const outsider = operatorClient(666);
    await outsider.sendCallback(
      outsider.makeCallbackQuery(`claim:${caseId}`, { message: { message_id: thread, chat: { id: OPERATORS, type: 'supergroup' } } }),
    );
    await expect
      .poll(() => calls.some((call) => call.method === 'answerCallbackQuery' && String(call.payload.text ?? '').includes('Hanya anggota')))
      .toBe(true);
    expect((await runtime.cases.store.get(caseId))?.status).toBe('open');
  });

  it('relays both ways once an operator claims the case, until /resolve hands the person back', async () => {
    const operator = operatorClient(555);
    await operator.sendCallback(
      operator.makeCallbackQuery(`claim:${caseId}`, { message: { message_id: thread, chat: { id: OPERATORS, type: 'supergroup' } } }),
    );
    await expect.poll(async () => (await runtime.cases.store.get(caseId))?.status).toBe('claimed');
    expect((await runtime.cases.store.get(caseId))?.operator).toEqual({ id: '555', name: '@op555' });

    // Operator -> person: a reply in the case's thread.
    await operator.sendMessage(
      operator.makeMessage('Kami dari tim kasus. Apakah Anda aman sekarang?', { reply_to_message: { message_id: thread } } as never),
    );
    await waitForBotMessages(bed.emulator, person, (messages) =>
      messages.some((message) => message.text === 'Petugas: Kami dari tim kasus. Apakah Anda aman sekarang?'),
    );

    // Person -> operator: the bot stays out of it.
    const personClient = bed.emulator.getClient(TEST_BOT_TOKEN, { userId: person, chatId: person });
    const personMessagesBefore = texts(person).length;
    await personClient.sendMessage(personClient.makeMessage('saya di kamar, pintunya dikunci dari luar'));
    await waitForBotMessages(bed.emulator, OPERATORS, (messages) =>
      messages.some((message) => message.text.includes('saya di kamar, pintunya dikunci dari luar')),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(texts(person)).toHaveLength(personMessagesBefore);

    // Another member cannot answer in a case someone else claimed.
    const other = operatorClient(556);
    await other.sendMessage(other.makeMessage('halo?', { reply_to_message: { message_id: thread } } as never));
    await waitForBotMessages(bed.emulator, OPERATORS, (messages) =>
      messages.some((message) => /only the operator who claimed/.test(message.text)),
    );

    await operator.sendMessage(operator.makeMessage('/resolve', { reply_to_message: { message_id: thread } } as never));
    await waitForBotMessages(bed.emulator, person, (messages) =>
      messages.some((message) => /kembali berbicara dengan Pelita/.test(message.text)),
    );
    expect((await runtime.cases.store.get(caseId))?.status).toBe('resolved');
    const trail = (await runtime.cases.store.auditTrail(caseId)).map((entry) => entry.event);
    expect(trail).toEqual(expect.arrayContaining(['opened', 'notified', 'claimed', 'operator_replied', 'resolved']));

    // Back with the bot.
    const backBefore = texts(person).length;
    await personClient.sendMessage(personClient.makeMessage('menu'));
    await waitForBotMessages(
      bed.emulator,
      person,
      (messages) => messages.length > backBefore && messages.at(-1)!.text === 'Apa yang bisa saya bantu?',
    );
  });
});

describe('when the operators channel is down', () => {
  const OPERATORS = -100600;
  let runtime: PelitaRuntime;
  const calls: RecordedCall[] = [];

  beforeAll(async () => {
    ({ runtime } = await startTestPelita(
      bed.redis,
      {
        TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
        TELEGRAM_API_ROOT: bed.emulator.config.apiURL,
        OPERATORS_TELEGRAM_CHAT_ID: String(OPERATORS),
        // 3 seconds, so the test sees a case go overdue.
        ESCALATION_SLA_MINUTES: '0.05',
      },
      'worker',
      { configureTelegramApi: operatorsApi(calls, 3) },
    ));
  });
  afterAll(async () => {
    await runtime?.stop(2000);
  });

  it('retries the notice until it gets through, then marks the unclaimed case overdue and posts it again', async () => {
    await runtime.gateway.accept({
      channel: 'http',
      conversationId: 'http:down-1',
      messageId: 'd1',
      text: 'tolong saya dipukul majikan sekarang',
      receivedAt: new Date().toISOString(),
    });
    await expect.poll(() => runtime.cases.store.activeFor('http:down-1'), { timeout: 10_000 }).toBeDefined();
    const { id } = (await runtime.cases.store.activeFor('http:down-1'))!;
    const attempts = () => calls.filter((call) => call.method === 'sendMessage' && Number(call.payload.chat_id) === OPERATORS);
    await expect
      .poll(() => botMessagesTo(bed.emulator, OPERATORS).some((message) => message.text.includes(id)), { timeout: 20_000 })
      .toBe(true);
    expect(attempts().length).toBeGreaterThanOrEqual(4);
    await expect
      .poll(async () => (await runtime.cases.store.list({ status: 'overdue' })).map((found) => found.id), { timeout: 20_000 })
      .toContain(id);
    await expect
      .poll(
        () => botMessagesTo(bed.emulator, OPERATORS).some((message) => message.text.startsWith('TERLAMBAT') && message.text.includes(id)),
        { timeout: 20_000 },
      )
      .toBe(true);
    // The audit entry is written just after the post reaches Telegram: wait for it too.
    await expect
      .poll(async () => (await runtime.cases.store.auditTrail(id)).map((entry) => entry.event), { timeout: 10_000 })
      .toEqual(expect.arrayContaining(['opened', 'overdue', 'reposted']));
  }, 60_000);
});
