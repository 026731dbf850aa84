/** One reply as the HTTP channel's long-poll returns it. */
export interface PolledReply {
  id: string;
  inReplyTo: string;
  text: string;
  choices: { id: string; label: string }[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** POSTs one message to the HTTP channel, without a token, and returns the status. */
export async function postMessage(baseUrl: string, body: { from: string; id: string; text: string }): Promise<number> {
  const response = await fetch(`${baseUrl}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.body?.cancel();
  return response.status;
}

/**
 * POSTs a message until Pelita acknowledges it (202), as a platform redelivers: a 503 or a
 * refused connection (Redis or the gateway restarting) is retried after a short pause.
 * Returns how many attempts it took.
 */
export async function postUntilAccepted(
  baseUrl: string,
  body: { from: string; id: string; text: string },
  deadlineMs = 120_000,
): Promise<number> {
  const deadline = Date.now() + deadlineMs;
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(`${baseUrl}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      await response.body?.cancel();
      if (response.status === 202) return attempt;
      if (response.status !== 503) throw new Error(`unexpected HTTP ${response.status} for ${body.id}`);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('unexpected HTTP')) throw error;
    }
    if (Date.now() > deadline) throw new Error(`${body.id} was never accepted`);
    await sleep(100);
  }
}

/** Long-polls one conversation's replies until `turns` messages are answered (or the deadline). */
export async function pollReplies(baseUrl: string, from: string, turns: number, deadlineMs = 120_000): Promise<PolledReply[]> {
  const replies: PolledReply[] = [];
  let cursor = '0';
  const deadline = Date.now() + deadlineMs;
  while (new Set(replies.map((reply) => reply.inReplyTo)).size < turns && Date.now() < deadline) {
    try {
      const response = await fetch(`${baseUrl}/v1/conversations/${encodeURIComponent(from)}/replies?after=${cursor}&wait=2000`);
      if (response.status !== 200) {
        await response.body?.cancel();
        await sleep(200);
        continue;
      }
      const body = (await response.json()) as { replies: PolledReply[]; cursor: string };
      replies.push(...body.replies);
      cursor = body.cursor;
    } catch {
      await sleep(200);
    }
  }
  return replies;
}

/** Runs `task` over `items` with at most `limit` at once. */
export async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

/**
 * What "answered exactly once, in order" means for one conversation: its turns in the order
 * sent, each turn's replies numbered 1..n with none repeated. Returns the problems found.
 */
export function orderProblems(from: string, sentIds: readonly string[], replies: readonly PolledReply[]): string[] {
  const problems: string[] = [];
  const turns = [...new Set(replies.map((reply) => reply.inReplyTo))];
  if (JSON.stringify(turns) !== JSON.stringify(sentIds))
    problems.push(`${from}: turns ${JSON.stringify(turns)} instead of ${JSON.stringify(sentIds)}`);
  const ids = replies.map((reply) => reply.id);
  const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
  if (repeated.length > 0) problems.push(`${from}: replies sent twice: ${repeated.join(', ')}`);
  for (const turn of turns) {
    const own = replies.filter((reply) => reply.inReplyTo === turn).map((reply) => reply.id);
    const expected = own.map((_, position) => `${turn}:${position + 1}`);
    if (JSON.stringify([...new Set(own)]) !== JSON.stringify(expected.slice(0, new Set(own).size)))
      problems.push(`${from}: turn ${turn} replies ${own.join(',')}`);
  }
  return problems;
}

// Every message of this script gets an answer, whatever state the conversation is in.
const SCRIPT = ['halo', '1', '1', '1', 'menu', '3', '4', '2', 'menu', '2'];

/**
 * The load of the fault tests: `conversations` people, each sending `perConversation`
 * scripted messages one after the other (the next once the last was acknowledged), all
 * people at once. `onAccepted` hears the running total, to inject a fault mid-load.
 */
export async function sendScriptedLoad(
  baseUrl: string,
  options: { prefix: string; conversations: number; perConversation: number; onAccepted?: (total: number) => void },
): Promise<{ sent: Map<string, string[]>; retried: number }> {
  let accepted = 0;
  let retried = 0;
  const sent = new Map<string, string[]>();
  const people = Array.from({ length: options.conversations }, (_, n) => `${options.prefix}-${n}`);
  await inParallel(people, people.length, async (from) => {
    const ids: string[] = [];
    sent.set(from, ids);
    for (let index = 0; index < options.perConversation; index++) {
      const id = `${from}-m${index}`;
      if ((await postUntilAccepted(baseUrl, { from, id, text: SCRIPT[index % SCRIPT.length]! })) > 1) retried += 1;
      ids.push(id);
      accepted += 1;
      options.onAccepted?.(accepted);
    }
  });
  return { sent, retried };
}

/** Every conversation's problems (see orderProblems) once all its turns are answered or time is up. */
export async function answeredOnceInOrder(baseUrl: string, sent: Map<string, string[]>): Promise<string[]> {
  const problems: string[] = [];
  await inParallel([...sent.keys()], 25, async (from) => {
    const ids = sent.get(from)!;
    problems.push(...orderProblems(from, ids, await pollReplies(baseUrl, from, ids.length)));
  });
  return problems;
}
