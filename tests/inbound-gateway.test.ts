import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Inbound } from '../src/core/messages/inbound.ts';
import { InboundGateway, InvalidInbound, NotStored } from '../src/pipeline/inbound-gateway.ts';
import type { ConversationQueue } from '../src/redis/conversation-queue.ts';

const message: Inbound = { channel: 'http', conversationId: 'http:x', messageId: '1', text: 'tolong', receivedAt: '2026-12-01T00:00:00Z' };

/** A queue whose store answers only when the test says so (a Redis that stalls or is gone). */
function stalledQueue(): { queue: ConversationQueue<Inbound>; answer: () => void } {
  let answer: () => void = () => undefined;
  const queue = {
    enqueue: () =>
      new Promise<{ duplicate: boolean }>((resolve) => {
        answer = () => resolve({ duplicate: false });
      }),
  } as unknown as ConversationQueue<Inbound>;
  return { queue, answer: () => answer() };
}

describe('the inbound gateway', () => {
  afterEach(() => vi.useRealTimers());

  it('gives up on a store that does not answer by its deadline, so the platform is told to retry at once', async () => {
    vi.useFakeTimers();
    const { queue } = stalledQueue();
    const accepted = new InboundGateway(queue, { deadlineMs: 1000 }).accept(message);
    const outcome = expect(accepted).rejects.toBeInstanceOf(NotStored);
    await vi.advanceTimersByTimeAsync(1000);
    await outcome;
  });

  it('answers as soon as the store does, well inside the deadline', async () => {
    vi.useFakeTimers();
    const { queue, answer } = stalledQueue();
    const accepted = new InboundGateway(queue, { deadlineMs: 1000 }).accept(message);
    await vi.advanceTimersByTimeAsync(10);
    answer();
    await expect(accepted).resolves.toEqual({ duplicate: false });
  });

  it('refuses a message that does not validate without storing anything', async () => {
    const { queue } = stalledQueue();
    const enqueue = vi.spyOn(queue, 'enqueue');
    await expect(new InboundGateway(queue).accept({ ...message, location: { lat: 91, lon: 0 } })).rejects.toBeInstanceOf(InvalidInbound);
    expect(enqueue).not.toHaveBeenCalled();
  });
});
