import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import whatsappWeb from 'whatsapp-web.js';
import type { PelitaRuntime } from '../src/app/pelita-runtime.ts';
import { renderForWhatsAppWeb, WHATSAPP_TEXT_LIMIT } from '../src/channels/whatsapp-web/whatsapp-web-render.ts';
import type { Inbound } from '../src/core/messages/inbound.ts';
import type { InboundGateway } from '../src/pipeline/inbound-gateway.ts';
import { addressReplies } from '../src/core/messages/reply.ts';
import {
  fakeClientFactory,
  incomingMessage,
  locationMessage,
  textMessage,
  type FakeWhatsAppClient,
} from './harness/fake-whatsapp-client.ts';
import { startTestPelita } from './harness/test-pelita.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHROMIUM = '/opt/test/chromium';

describe('WhatsApp Web through whatsapp-web.js (a double of its Client, the real pipeline)', () => {
  let redis: TestRedis;
  let runtime: PelitaRuntime;
  let lines: string[];
  let runtimeStopped = false;
  let standby: Awaited<ReturnType<typeof startTestPelita>> | undefined;
  const dataDirs: string[] = [];
  const { factory, clients } = fakeClientFactory();
  const standbyClients = fakeClientFactory();
  let accept: MockInstance<InboundGateway['accept']>;

  const newDataDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pelita-wa-web-'));
    dataDirs.push(dir);
    return dir;
  };
  const env = (dataDir: string) => ({
    WHATSAPP_WEB_ENABLED: '1',
    DATA_DIR: dataDir,
    WHATSAPP_WEB_RATE_PER_S: '100',
    CHROMIUM_PATH: CHROMIUM,
  });
  const current = (): FakeWhatsAppClient => clients.at(-1)!;
  const sentTo = (chatId: string) =>
    clients
      .flatMap((client) => client.sent)
      .filter((message) => message.chatId === chatId)
      .map((message) => message.text);
  const acceptedFrom = (chatId: string): Inbound[] =>
    accept.mock.calls.map(([inbound]) => inbound).filter((inbound) => inbound.conversationId === `whatsapp-web:${chatId}`);

  beforeAll(async () => {
    redis = await startTestRedis();
    ({ runtime, lines } = await startTestPelita(redis, env(newDataDir()), 'all', { createWhatsAppWebClient: factory }));
    // Calls through: the real gateway queues every message.
    accept = vi.spyOn(runtime.gateway, 'accept');
  });
  afterAll(async () => {
    await standby?.runtime.stop(1000);
    if (!runtimeStopped) await runtime?.stop(2000);
    await redis?.stop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('starts one client: LocalAuth in DATA_DIR, the configured Chromium, headless', async () => {
    await expect.poll(() => clients.length).toBe(1);
    const { options } = clients[0]!;
    expect(options.authStrategy).toBeInstanceOf(whatsappWeb.LocalAuth);
    expect(options.authStrategy).toMatchObject({ dataPath: path.join(dataDirs[0]!, 'whatsapp-web-auth') });
    expect(options.puppeteer).toMatchObject({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
    expect(clients[0]!.initializeCalls).toBe(1);
    expect(await runtime.redis.get(runtime.keys.whatsappWebClient())).not.toBeNull();
  });

  it('shows the QR code in the terminal and as a PNG in DATA_DIR, and removes the PNG once logged in', async () => {
    const png = path.join(dataDirs[0]!, 'whatsapp-web-qr.png');
    // Kept quiet: the test reads what would have gone to the terminal.
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      current().emit('qr', '2@Pelita-test-qr-code,abcdefghijklmnop,qrstuvwxyz0123456789');
      await expect.poll(() => lines.some((line) => line.includes('scan the QR code'))).toBe(true);
      const printed = stderr.mock.calls.map(([chunk]) => String(chunk)).join('');
      expect(printed).toMatch(/[▀▄█]{10}/);
    } finally {
      stderr.mockRestore();
    }
    expect(readFileSync(png).subarray(0, PNG_MAGIC.length)).toEqual(PNG_MAGIC);

    current().emit('ready');
    await expect.poll(() => existsSync(png)).toBe(false);
    expect(lines.some((line) => line.includes('WhatsApp Web is logged in'))).toBe(true);
  });

  it('answers text with menus as numbered lines, and understands the number typed back', async () => {
    const chat = '6281100000001@c.us';
    current().emit('message', textMessage(chat, 'A1', 'halo'));
    await expect.poll(() => sentTo(chat).join('\n')).toContain('2. English');
    const languageMenu = sentTo(chat).find((text) => text.includes('Pilih bahasa'))!;
    expect(languageMenu.split('\n').slice(-3)).toEqual(['', '1. Bahasa Indonesia', '2. English']);
    expect(acceptedFrom(chat)).toEqual([
      {
        channel: 'whatsapp-web',
        conversationId: `whatsapp-web:${chat}`,
        messageId: `false_${chat}_A1`,
        text: 'halo',
        receivedAt: expect.any(String),
      },
    ]);

    current().emit('message', textMessage(chat, 'A2', '2'));
    await expect.poll(() => sentTo(chat).some((text) => text.startsWith('How can I help?\n\n1. '))).toBe(true);
  });

  it('accepts a shared location, with its coordinates as numbers', async () => {
    const chat = '6281100000002@c.us';
    current().emit('message', locationMessage(chat, 'L1', '-8.5833', '116.1167'));
    await expect
      .poll(() => acceptedFrom(chat))
      .toEqual([expect.objectContaining({ messageId: `false_${chat}_L1`, location: { lat: -8.5833, lon: 116.1167 } })]);
    expect(acceptedFrom(chat)[0]).not.toHaveProperty('text');
    await expect.poll(() => sentTo(chat).length).toBeGreaterThan(0);
  });

  it('ignores groups, status updates, its own messages and media', async () => {
    const group = '120363000000000001@g.us';
    const person = '6281100000003@c.us';
    current().emit('message', textMessage(group, 'G1', 'halo'));
    current().emit('message', textMessage('status@broadcast', 'S1', 'halo'));
    current().emit('message', incomingMessage({ from: '6281100000009@c.us', id: 'S2', body: 'halo', isStatus: true }));
    current().emit('message', incomingMessage({ from: person, id: 'M1', body: 'halo', fromMe: true }));
    current().emit('message', incomingMessage({ from: person, id: 'I1', type: whatsappWeb.MessageTypes.IMAGE }));
    // Messages are handed over in the order they come: once this one is in, the others were looked at.
    current().emit('message', textMessage(person, 'P1', 'halo'));
    await expect.poll(() => sentTo(person).length).toBeGreaterThan(0);

    expect(acceptedFrom(person).map((inbound) => inbound.messageId)).toEqual([`false_${person}_P1`]);
    for (const ignored of [group, 'status@broadcast', '6281100000009@c.us']) {
      expect(acceptedFrom(ignored)).toEqual([]);
      expect(sentTo(ignored)).toEqual([]);
    }
  });

  it('answers a message WhatsApp delivers twice only once', async () => {
    const chat = '6281100000004@c.us';
    const message = textMessage(chat, 'R1', 'halo');
    current().emit('message', message);
    current().emit('message', message);
    await expect.poll(() => sentTo(chat).length).toBeGreaterThan(0);
    // The next message's answer comes after anything the first two would have caused.
    current().emit('message', textMessage(chat, 'R2', '1'));
    await expect.poll(() => sentTo(chat).some((text) => text.startsWith('Apa yang bisa saya bantu?'))).toBe(true);
    expect(sentTo(chat).filter((text) => text.includes('Pilih bahasa'))).toHaveLength(1);
    const answers = accept.mock.calls.flatMap(([inbound], index) =>
      inbound.conversationId === `whatsapp-web:${chat}` ? [accept.mock.results[index]!.value] : [],
    );
    expect(await Promise.all(answers)).toEqual([{ duplicate: false }, { duplicate: true }, { duplicate: false }]);
  });

  it('skips the replies already sent when a batch comes again', async () => {
    const chat = '6281100000005@c.us';
    const conversationId = `whatsapp-web:${chat}`;
    const outbound = runtime.outboundFor('whatsapp-web');
    const batch = addressReplies(conversationId, 'X1', [{ text: 'Satu.' }, { text: 'Dua?', choices: [{ id: 'a', label: 'Ya' }] }]);
    await outbound.enqueue(conversationId, { id: 'X1', payload: batch });
    await expect.poll(() => sentTo(chat)).toEqual(['Satu.', 'Dua?\n\n1. Ya']);
    // As after a crash between sending and the queue noting it: the same replies again.
    await outbound.enqueue(conversationId, { id: 'X1-again', payload: batch });
    await outbound.enqueue(conversationId, { id: 'X2', payload: addressReplies(conversationId, 'X2', [{ text: 'Tiga.' }]) });
    // The conversation's pace (1 a second after a burst of 3) holds the later batches back a little.
    await expect.poll(() => sentTo(chat), { timeout: 10_000 }).toEqual(['Satu.', 'Dua?\n\n1. Ya', 'Tiga.']);
  });

  it('keeps replies while disconnected, starts a new client after a pause, and sends them once it is ready', async () => {
    const first = current();
    const chat = '6281100000006@c.us';
    const conversationId = `whatsapp-web:${chat}`;
    first.emit('disconnected', 'NAVIGATION');
    await expect.poll(() => first.destroyCalls).toBeGreaterThan(0);

    // A message that came just before the drop: its answer has no client to go through.
    await runtime.gateway.accept({
      channel: 'whatsapp-web',
      conversationId,
      messageId: 'D1',
      text: 'halo',
      receivedAt: new Date().toISOString(),
    });
    await expect
      .poll(() => lines.some((line) => line.includes('"queue":"outbound-whatsapp-web"') && line.includes('drain failed')))
      .toBe(true);

    await expect.poll(() => clients.length, { timeout: 10_000 }).toBe(2);
    const second = current();
    expect(second.initializeCalls).toBe(1);
    expect(sentTo(chat)).toEqual([]);
    // The old client is closed and no longer heard; the new one is, even before it is ready.
    first.emit('message', textMessage('6281100000007@c.us', 'Z1', 'halo'));
    second.emit('message', textMessage('6281100000008@c.us', 'Z2', 'halo'));
    await expect.poll(() => acceptedFrom('6281100000008@c.us')).toHaveLength(1);
    expect(acceptedFrom('6281100000007@c.us')).toEqual([]);

    second.emit('ready');
    await expect.poll(() => second.sent.filter((message) => message.chatId === chat).length, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(sentTo(chat).join('\n')).toContain('1. Bahasa Indonesia');
    expect(first.sent.filter((message) => message.chatId === chat)).toEqual([]);
  });

  it('runs one client per number: a second process on the same Redis stands by', async () => {
    standby = await startTestPelita(redis, env(newDataDir()), 'gateway', { createWhatsAppWebClient: standbyClients.factory });
    await expect.poll(() => standby!.lines.some((line) => line.includes('another process runs the WhatsApp Web client'))).toBe(true);
    expect(standbyClients.clients).toEqual([]);
    expect(clients).toHaveLength(2);
  });

  it('stop() closes the client and lets go of the number, and the process standing by takes over', async () => {
    const last = current();
    await runtime.stop(2000);
    runtimeStopped = true;
    expect(last.destroyCalls).toBeGreaterThan(0);
    expect(clients).toHaveLength(2);

    // It retries every 10 s.
    await expect.poll(() => standbyClients.clients.length, { timeout: 15_000 }).toBe(1);
    const observer = new Redis(redis.url);
    try {
      expect(await observer.get(runtime.keys.whatsappWebClient())).not.toBeNull();
      await standby!.runtime.stop(1000);
      standby = undefined;
      expect(standbyClients.clients[0]!.destroyCalls).toBeGreaterThan(0);
      expect(await observer.get(runtime.keys.whatsappWebClient())).toBeNull();
    } finally {
      observer.disconnect();
    }
  }, 30_000);

  it('never logs phone numbers or what people wrote', () => {
    const logged = lines.join('\n');
    expect(logged).not.toMatch(/628110000000\d/);
    expect(logged).not.toContain('halo');
  });
});

describe('renderForWhatsAppWeb', () => {
  it('splits long text at sentence boundaries and puts the menu after the last part', () => {
    const sentence = 'Jangan bayar biaya penempatan di luar aturan. ';
    const text = sentence.repeat(200).trim();
    const parts = renderForWhatsAppWeb({
      text,
      choices: [
        { id: 'a', label: 'Ya' },
        { id: 'b', label: 'Tidak' },
      ],
    });
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(WHATSAPP_TEXT_LIMIT);
    for (const part of parts.slice(0, -1)) expect(part.endsWith('aturan.')).toBe(true);
    expect(parts.at(-1)!.endsWith('aturan.\n\n1. Ya\n2. Tidak')).toBe(true);
    expect(parts.join(' ').replace(/\n\n1\. Ya\n2\. Tidak$/, '')).toBe(text);
  });

  it('sends the menu on its own when it does not fit after the text', () => {
    const text = 'a'.repeat(WHATSAPP_TEXT_LIMIT - 5);
    expect(renderForWhatsAppWeb({ text, choices: [{ id: 'a', label: 'Ya' }] })).toEqual([text, '1. Ya']);
    expect(renderForWhatsAppWeb({ text: '', choices: [{ id: 'a', label: 'Ya' }] })).toEqual(['1. Ya']);
  });
});
