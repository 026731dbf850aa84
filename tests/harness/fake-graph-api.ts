import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export interface GraphCall {
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown> & { to?: string; type?: string };
  at: number;
}

/**
 * A local stand-in for Meta's Graph API: records every POST, answers `{messages:[{id}]}`,
 * or the next canned error when a test queued one.
 */
export async function startFakeGraphApi(): Promise<{
  url: string;
  calls: GraphCall[];
  failNext: (status: number, code: number) => void;
  stop: () => Promise<void>;
}> {
  const calls: GraphCall[] = [];
  const failures: { status: number; code: number }[] = [];
  let counter = 0;
  const server: Server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      calls.push({
        path: request.url ?? '',
        authorization: request.headers.authorization,
        body: JSON.parse(raw || '{}') as GraphCall['body'],
        at: Date.now(),
      });
      const failure = failures.shift();
      if (failure) {
        response
          .writeHead(failure.status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { code: failure.code, message: 'canned failure' } }));
        return;
      }
      counter += 1;
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ messaging_product: 'whatsapp', messages: [{ id: `wamid.out${counter}` }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/v21.0`,
    calls,
    failNext: (status, code) => failures.push({ status, code }),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
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
