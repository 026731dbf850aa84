/**
 * How long `pelita start` takes to stop on SIGTERM while it is busy: one process doing
 * everything (HTTP channel, engine, senders) with 200 conversations writing as fast as it
 * takes them and 50 replies long-polled with the longest wait a client may ask (30 s).
 * The figure is from the signal to the process's exit; Docker and Kubernetes kill a
 * container 10 s after asking it to stop, so it must stay well under that.
 */
import { spawnPelita } from '../tests/harness/pelita-process.ts';
import { sleep } from './bench-rounds.ts';

const CONVERSATIONS = 200;
const LONG_POLLS = 50;
/** Messages accepted before the signal: enough that the engine is behind and busy. */
const ACCEPTED_BEFORE_SIGNAL = 600;

export async function shutdownUnderLoad(redisUrl: string): Promise<{ ms: number; exitCode: number | null }> {
  const pelita = await spawnPelita('all', { REDIS_URL: redisUrl, REDIS_PREFIX: 'bench-shutdown' });
  const baseUrl = `http://127.0.0.1:${pelita.port}`;
  let stopped = false;
  void pelita.exited.then(() => (stopped = true));
  let accepted = 0;
  const writers = Array.from({ length: CONVERSATIONS }, async (_, conversation) => {
    for (let n = 0; !stopped; n++) {
      const response = await fetch(`${baseUrl}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          from: `bench-stop-${conversation}`,
          id: `m${n}`,
          text: n % 2 === 0 ? 'halo' : 'apa syarat kerja ke malaysia?',
        }),
      }).catch(() => undefined);
      if (response?.status === 202 || response?.status === 200) accepted += 1;
      else await sleep(50);
      await response?.body?.cancel();
    }
  });
  const polls = Array.from({ length: LONG_POLLS }, (_, n) =>
    fetch(`${baseUrl}/v1/conversations/bench-quiet-${n}/replies?after=0&wait=30000`).then(
      (response) => response.body?.cancel(),
      () => undefined,
    ),
  );
  while (accepted < ACCEPTED_BEFORE_SIGNAL) await sleep(5);
  const signalled = performance.now();
  pelita.child.kill('SIGTERM');
  const exitCode = await pelita.exited;
  const ms = Math.round(performance.now() - signalled);
  await Promise.all([...writers, ...polls]);
  return { ms, exitCode };
}
