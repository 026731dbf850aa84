import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export interface GraphCall {
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown> & { to?: string; type?: string };
  at: number;
}

/** Where and how the stand-in reports on messages, as Meta does: a "sent" status webhook for each message it accepted. */
export interface StatusReports {
  /** The app secret the webhook is signed with. */
  appSecret: string;
  /** Where Pelita's webhook is now (it changes when Pelita restarts); undefined holds reports back. */
  url: () => string | undefined;
}

/**
 * A local stand-in for Meta's Graph API: records every POST, answers `{messages:[{id}]}`,
 * or the next canned error when a test queued one. With `respondAfterMs`, a message is
 * accepted (recorded) at once and answered later, so a sender killed meanwhile never
 * learns that it went. With `reports`, each accepted message gets a "sent" status webhook,
 * carrying its biz_opaque_callback_data, tried again every 200 ms until Pelita takes it,
 * as Meta retries webhooks.
 */
export async function startFakeGraphApi(options: { respondAfterMs?: number; reports?: StatusReports } = {}): Promise<{
  url: string;
  calls: GraphCall[];
  failNext: (status: number, code: number) => void;
  /** Accepted messages whose answer found the sender gone. */
  unanswered: () => number;
  /** Status webhooks not yet taken by Pelita. */
  reportsWaiting: () => number;
  stop: () => Promise<void>;
}> {
  const calls: GraphCall[] = [];
  const failures: { status: number; code: number }[] = [];
  const reports: { body: string }[] = [];
  let counter = 0;
  let unanswered = 0;
  let stopped = false;
  const server: Server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      const body = JSON.parse(raw || '{}') as GraphCall['body'];
      calls.push({ path: request.url ?? '', authorization: request.headers.authorization, body, at: Date.now() });
      const failure = failures.shift();
      if (failure) {
        response
          .writeHead(failure.status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { code: failure.code, message: 'canned failure' } }));
        return;
      }
      counter += 1;
      const id = `wamid.out${counter}`;
      if (options.reports && typeof body.to === 'string') {
        const tag = typeof body.biz_opaque_callback_data === 'string' ? { biz_opaque_callback_data: body.biz_opaque_callback_data } : {};
        reports.push({
          body: cloudWebhook([], [{ id, status: 'sent', timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: body.to, ...tag }]),
        });
      }
      const answer = () => {
        if (response.destroyed || request.socket.destroyed) {
          unanswered += 1;
          return;
        }
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ messaging_product: 'whatsapp', messages: [{ id }] }));
      };
      if (options.respondAfterMs) setTimeout(answer, options.respondAfterMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  // Reports go one at a time, in order, each until it is taken.
  const reporting = (async () => {
    const settings = options.reports;
    if (!settings) return;
    while (!stopped) {
      const next = reports[0];
      const url = settings.url();
      if (!next || !url) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      const taken = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(next.body, settings.appSecret) },
        body: next.body,
      }).then(
        (answer) => answer.ok,
        () => false,
      );
      if (taken) reports.shift();
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();

  return {
    url: `http://127.0.0.1:${port}/v21.0`,
    calls,
    failNext: (status, code) => failures.push({ status, code }),
    unanswered: () => unanswered,
    reportsWaiting: () => reports.length,
    stop: async () => {
      stopped = true;
      await reporting;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Meta's webhook body for messages from one person, and its X-Hub-Signature-256. */
export function cloudWebhook(messages: Record<string, unknown>[], statuses: Record<string, unknown>[] = []): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA',
        changes: [
          { field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '1098765' }, messages, statuses } },
        ],
      },
    ],
  });
}

export function sign(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
