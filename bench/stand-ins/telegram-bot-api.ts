/**
 * A local stand-in for Telegram's Bot API, strict about its limits: at most `perSecond`
 * messages in any one-second window in all, and `perChatPerSecond` to one chat; beyond
 * either it answers 429 with `retry_after`, as Telegram does, and counts it. It answers
 * every other method Pelita calls (getUpdates long-polls and finds nothing).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { watchLoopLag, worstLagMs } from './loop-lag.ts';

/** What a platform stand-in saw: the benchmark reads these while the broadcast runs. */
export interface StandInCounts {
  /** Messages accepted, and accepted per recipient. */
  accepted: number;
  acceptedBy: Map<string, number>;
  /** Messages of the broadcast accepted (recognised by their text), and per recipient. */
  broadcastAccepted: number;
  broadcastBy: Map<string, number>;
  /** Messages refused for going over the platform's limit. */
  tooManyRequests: number;
  /** Each refusal: when (performance.now() in this process), and the gaps between the sends that filled the window. */
  refusals: { at: number; gapsMs: number[]; loopLagMs: number }[];
  /** The most messages accepted in any one-second window. */
  peakPerSecond: number;
  /** Calls other than sending a message, by method or path. */
  otherCalls: Record<string, number>;
}

export function emptyCounts(): StandInCounts {
  return {
    accepted: 0,
    acceptedBy: new Map(),
    broadcastAccepted: 0,
    broadcastBy: new Map(),
    tooManyRequests: 0,
    refusals: [],
    peakPerSecond: 0,
    otherCalls: {},
  };
}

/** Told of every message a stand-in accepts, with when (performance.now() in this process). */
export type AcceptedListener = (recipient: string, text: string, at: number) => void;

/**
 * A sliding one-second window of accepted sends. A platform's limit is a count over the
 * last second, not a token bucket: a sender that bursts and then keeps its average pace
 * can still go over it.
 */
export class SlidingWindow {
  private times: number[] = [];
  private head = 0;
  /** The most accepted within one window so far. */
  peak = 0;

  constructor(
    readonly limit: number,
    readonly spanMs = 1000,
  ) {}

  /** 0 when one more may go at `now`; else the milliseconds until the oldest in the window leaves it. */
  waitMs(now: number): number {
    while (this.head < this.times.length && this.times[this.head]! <= now - this.spanMs) this.head++;
    if (this.head > 1024) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    if (this.times.length - this.head < this.limit) return 0;
    return Math.max(1, this.times[this.head]! + this.spanMs - now);
  }

  /** The milliseconds between the sends in the window now (after waitMs). */
  gaps(): number[] {
    const gaps: number[] = [];
    for (let i = this.head + 1; i < this.times.length; i++) gaps.push(this.times[i]! - this.times[i - 1]!);
    return gaps;
  }

  /** Records one accepted send (after waitMs said 0). */
  take(now: number): void {
    this.times.push(now);
    this.peak = Math.max(this.peak, this.times.length - this.head);
  }
}

export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

export function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections and open long polls would hold close() up.
    server.closeAllConnections();
  });
}

/** The Bot API's parameters as grammY sends them: JSON, or a form (urlencoded or multipart) when it sends files. */
function parameters(contentType: string, raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) return {};
  if (contentType.includes('application/json')) return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  if (contentType.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (contentType.includes('multipart/form-data') && boundary) {
    const fields: Record<string, unknown> = {};
    for (const part of raw.toString('utf8').split(`--${boundary[1] ?? boundary[2]}`)) {
      const match = /name="([^"]+)"[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*)\r\n$/.exec(part);
      if (match) fields[match[1]!] = match[2];
    }
    return fields;
  }
  return {};
}

export interface TelegramStandIn {
  /** TELEGRAM_API_ROOT. */
  url: string;
  counts: StandInCounts;
  onAccepted(listener: AcceptedListener): void;
  stop(): Promise<void>;
}

export async function startTelegramStandIn(options: {
  perSecond: number;
  perChatPerSecond: number;
  /** Whether a message's text is the broadcast's. */
  isBroadcast: (text: string) => boolean;
}): Promise<TelegramStandIn> {
  watchLoopLag();
  const counts = emptyCounts();
  const overall = new SlidingWindow(options.perSecond);
  const perChat = new Map<string, SlidingWindow>();
  const listeners: AcceptedListener[] = [];
  const polls = new Set<NodeJS.Timeout>();
  let messageId = 0;

  const answer = (response: ServerResponse, status: number, body: unknown) =>
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  const sendMessage = (response: ServerResponse, params: Record<string, unknown>) => {
    const chatId = String(params.chat_id ?? '');
    const text = String(params.text ?? '');
    if (!chatId || !text) {
      answer(response, 400, { ok: false, error_code: 400, description: 'Bad Request: chat_id and text are required' });
      return;
    }
    const now = performance.now();
    let chat = perChat.get(chatId);
    if (!chat) {
      chat = new SlidingWindow(options.perChatPerSecond);
      perChat.set(chatId, chat);
    }
    const wait = Math.max(overall.waitMs(now), chat.waitMs(now));
    if (wait > 0) {
      counts.tooManyRequests += 1;
      counts.refusals.push({
        at: now,
        loopLagMs: Math.max(worstLagMs(), Math.round(performance.now() - now)),
        gapsMs: overall.waitMs(now) > 0 ? overall.gaps() : chat.gaps(),
      });
      const retryAfter = Math.ceil(wait / 1000);
      answer(response, 429, {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${retryAfter}`,
        parameters: { retry_after: retryAfter },
      });
      return;
    }
    overall.take(now);
    chat.take(now);
    counts.peakPerSecond = overall.peak;
    counts.accepted += 1;
    counts.acceptedBy.set(chatId, (counts.acceptedBy.get(chatId) ?? 0) + 1);
    if (options.isBroadcast(text)) {
      counts.broadcastAccepted += 1;
      counts.broadcastBy.set(chatId, (counts.broadcastBy.get(chatId) ?? 0) + 1);
    }
    for (const listener of listeners) listener(chatId, text, now);
    messageId += 1;
    const numericChat = Number(chatId);
    answer(response, 200, {
      ok: true,
      result: {
        message_id: messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: Number.isSafeInteger(numericChat) ? numericChat : chatId, type: 'private' },
        text,
      },
    });
  };

  const server = createServer((request, response) => {
    readBody(request)
      .then((raw) => {
        const method = /^\/bot[^/]+\/([A-Za-z]+)$/.exec((request.url ?? '').split('?')[0] ?? '')?.[1];
        if (!method) {
          answer(response, 404, { ok: false, error_code: 404, description: 'Not Found' });
          return;
        }
        const params = parameters(String(request.headers['content-type'] ?? ''), raw);
        if (method === 'sendMessage') {
          sendMessage(response, params);
          return;
        }
        counts.otherCalls[method] = (counts.otherCalls[method] ?? 0) + 1;
        switch (method) {
          case 'getUpdates': {
            // A long poll that finds nothing: answered when its timeout ends, or dropped when the client gives up.
            const seconds = Math.min(50, Math.max(0, Number(params.timeout ?? 0)));
            const timer = setTimeout(() => {
              polls.delete(timer);
              answer(response, 200, { ok: true, result: [] });
            }, seconds * 1000);
            polls.add(timer);
            response.once('close', () => {
              clearTimeout(timer);
              polls.delete(timer);
            });
            return;
          }
          case 'getMe':
            answer(response, 200, {
              ok: true,
              result: { id: 7000000001, is_bot: true, first_name: 'Pelita bench', username: 'pelita_bench_bot', can_join_groups: true },
            });
            return;
          case 'getChatMember':
            answer(response, 200, {
              ok: true,
              result: { status: 'member', user: { id: Number(params.user_id ?? 0), is_bot: false, first_name: 'Staff' } },
            });
            return;
          default:
            // setMyCommands, deleteWebhook, setWebhook, answerCallbackQuery...: Telegram answers true.
            answer(response, 200, { ok: true, result: true });
        }
      })
      .catch((error: Error) => answer(response, 400, { ok: false, error_code: 400, description: `Bad Request: ${error.message}` }));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    onAccepted: (listener) => listeners.push(listener),
    stop: async () => {
      for (const timer of polls) clearTimeout(timer);
      polls.clear();
      await closeServer(server);
    },
  };
}
