/**
 * A local stand-in for Meta's Graph API (WhatsApp Cloud), strict about throughput: at most
 * `perSecond` messages in any one-second window; beyond it, HTTP 400 with error 130429,
 * Meta's throughput error, counted. Any other path Pelita might call is answered with
 * success.
 */
import { createServer, type ServerResponse } from 'node:http';
import { watchLoopLag, worstLagMs } from './loop-lag.ts';
import {
  type AcceptedListener,
  type StandInCounts,
  SlidingWindow,
  closeServer,
  emptyCounts,
  listen,
  readBody,
} from './telegram-bot-api.ts';

export interface GraphStandIn {
  /** WHATSAPP_API_BASE. */
  url: string;
  counts: StandInCounts;
  onAccepted(listener: AcceptedListener): void;
  stop(): Promise<void>;
}

interface GraphMessage {
  to?: unknown;
  type?: unknown;
  text?: { body?: unknown };
  interactive?: { body?: { text?: unknown } };
  template?: { name?: unknown };
}

/** What a person would read first: the text, an interactive message's body, or a template's name. */
function textOf(message: GraphMessage): string {
  const text = message.text?.body ?? message.interactive?.body?.text ?? message.template?.name ?? '';
  return typeof text === 'string' ? text : '';
}

export async function startGraphStandIn(options: {
  perSecond: number;
  isBroadcast: (text: string) => boolean;
  version?: string;
}): Promise<GraphStandIn> {
  watchLoopLag();
  const version = options.version ?? 'v21.0';
  const counts = emptyCounts();
  const window = new SlidingWindow(options.perSecond);
  const listeners: AcceptedListener[] = [];
  let counter = 0;
  const answer = (response: ServerResponse, status: number, body: unknown) =>
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  const server = createServer((request, response) => {
    readBody(request)
      .then((raw) => {
        const path = (request.url ?? '').split('?')[0] ?? '';
        if (request.method !== 'POST' || !/^\/v\d+\.\d+\/[^/]+\/messages$/.test(path)) {
          counts.otherCalls[`${request.method} ${path}`] = (counts.otherCalls[`${request.method} ${path}`] ?? 0) + 1;
          answer(response, 200, { success: true });
          return;
        }
        const message = JSON.parse(raw.toString('utf8') || '{}') as GraphMessage;
        const to = typeof message.to === 'string' ? message.to : '';
        if (!to) {
          answer(response, 400, { error: { message: '(#100) The parameter to is required.', type: 'OAuthException', code: 100 } });
          return;
        }
        const now = performance.now();
        if (window.waitMs(now) > 0) {
          counts.tooManyRequests += 1;
          counts.refusals.push({ at: now, loopLagMs: Math.max(worstLagMs(), Math.round(performance.now() - now)), gapsMs: window.gaps() });
          answer(response, 400, {
            error: { message: 'Rate limit hit', type: 'OAuthException', code: 130429, fbtrace_id: `bench${counter}` },
          });
          return;
        }
        window.take(now);
        counts.peakPerSecond = window.peak;
        counts.accepted += 1;
        counts.acceptedBy.set(to, (counts.acceptedBy.get(to) ?? 0) + 1);
        const text = textOf(message);
        if (options.isBroadcast(text)) {
          counts.broadcastAccepted += 1;
          counts.broadcastBy.set(to, (counts.broadcastBy.get(to) ?? 0) + 1);
        }
        for (const listener of listeners) listener(to, text, now);
        counter += 1;
        answer(response, 200, {
          messaging_product: 'whatsapp',
          contacts: [{ input: to, wa_id: to }],
          messages: [{ id: `wamid.bench${counter}` }],
        });
      })
      .catch((error: Error) => answer(response, 400, { error: { message: error.message, type: 'OAuthException', code: 100 } }));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/${version}`,
    counts,
    onAccepted: (listener) => listeners.push(listener),
    stop: () => closeServer(server),
  };
}
