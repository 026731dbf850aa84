/**
 * A partner's server for the HTTP channel's callbacks: takes every POST of
 * {to, id, inReplyTo, text, choices} with 200 and counts each (to, id), so a reply posted
 * twice shows. It sets no limit of its own: Pelita's HTTP_CALLBACK_RATE_PER_S is the pace
 * agreed with the partner, and the peak per second shows whether it was kept.
 */
import { createServer } from 'node:http';
import {
  type AcceptedListener,
  type StandInCounts,
  SlidingWindow,
  closeServer,
  emptyCounts,
  listen,
  readBody,
} from './telegram-bot-api.ts';

export interface CallbackReceiver {
  /** HTTP_CALLBACK_URL. */
  url: string;
  /** acceptedBy is per (to, id); broadcastBy per `to`. */
  counts: StandInCounts;
  onAccepted(listener: AcceptedListener): void;
  stop(): Promise<void>;
}

export async function startCallbackReceiver(options: { isBroadcast: (text: string) => boolean }): Promise<CallbackReceiver> {
  const counts = emptyCounts();
  // Never refuses: it only measures the most callbacks that arrived within one second.
  const window = new SlidingWindow(Number.POSITIVE_INFINITY);
  const listeners: AcceptedListener[] = [];
  const server = createServer((request, response) => {
    readBody(request)
      .then((raw) => {
        const body = JSON.parse(raw.toString('utf8') || '{}') as { to?: unknown; id?: unknown; text?: unknown };
        const to = typeof body.to === 'string' ? body.to : '';
        const id = typeof body.id === 'string' ? body.id : '';
        const text = typeof body.text === 'string' ? body.text : '';
        if (request.method !== 'POST' || !to || !id) {
          response.writeHead(400).end();
          return;
        }
        const now = performance.now();
        window.waitMs(now);
        window.take(now);
        counts.peakPerSecond = window.peak;
        counts.accepted += 1;
        const key = `${to}\n${id}`;
        counts.acceptedBy.set(key, (counts.acceptedBy.get(key) ?? 0) + 1);
        if (options.isBroadcast(text)) {
          counts.broadcastAccepted += 1;
          counts.broadcastBy.set(to, (counts.broadcastBy.get(to) ?? 0) + 1);
        }
        for (const listener of listeners) listener(to, text, now);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      })
      .catch(() => response.writeHead(400).end());
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/`,
    counts,
    onAccepted: (listener) => listeners.push(listener),
    stop: () => closeServer(server),
  };
}
