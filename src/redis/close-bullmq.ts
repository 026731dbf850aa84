import type { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { withTimeout } from './redis-connection.ts';

/**
 * Closes BullMQ workers, the connections made for them, and a queue: gracefully (jobs in
 * flight finish) for up to `graceMs`, then by cutting the connections. With Redis gone a
 * graceful close waits forever; cutting loses nothing, because an unfinished job is
 * handed to another worker by BullMQ's stalled-job check.
 */
export async function closeBullmq(parts: {
  workers: readonly Worker[];
  connections: readonly Redis[];
  queue: Queue;
  graceMs: number;
}): Promise<void> {
  const { workers, connections, queue, graceMs } = parts;
  const graceful = (async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    await Promise.all(connections.map((connection) => connection.quit()));
    await queue.close();
  })();
  const closed = await withTimeout(graceful, graceMs).then(
    () => true,
    () => false,
  );
  if (closed) return;
  graceful.catch(() => undefined);
  for (const connection of connections) connection.disconnect();
  // BullMQ's disconnect also waits for a connection that may never come back: bounded too.
  await withTimeout(Promise.allSettled([...workers.map((worker) => worker.disconnect()), queue.disconnect()]), 1000).catch(() => undefined);
}
