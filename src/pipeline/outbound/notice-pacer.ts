import type { PaceLimiter } from './pace-limiter.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How often a notice looks again while replies wait. */
const REPLIES_WAITING_PAUSE_MS = 50;

/**
 * Notices to case workers go through the same bot as replies, so they share the channel's
 * pace, but they come after them: emergency replies book the next slot, live replies any
 * slot free now, and a notice only a slot that leaves `reserve` more free for replies, and
 * only while no replies wait in the channel's queue. A
 * notice is still about a person who needs a human, so it never waits behind replies for
 * longer than `longestWaitMs`: then it books the next slot like an emergency reply.
 *
 * The operators' group has a pace of its own too (Telegram allows about 20 messages a
 * minute in one group).
 */
export class NoticePacer {
  constructor(
    private readonly channel: PaceLimiter,
    private readonly group: PaceLimiter,
    private readonly options: {
      reserve: number;
      longestWaitMs: number;
      /** Whether replies wait to be sent on the channel: then they go first. */
      repliesWaiting: () => Promise<boolean>;
    },
  ) {}

  /** Resolves when one notice may be sent; its slot is booked. */
  async slot(): Promise<void> {
    const giveUpAt = Date.now() + this.options.longestWaitMs;
    let wait = 0;
    for (;;) {
      if (Date.now() >= giveUpAt) {
        wait = await this.channel.take(1);
        break;
      }
      // The bucket's spare slot alone is not enough: between two replies, while the senders
      // are busy sending, it looks free with a backlog still queued.
      if (await this.options.repliesWaiting()) {
        await sleep(Math.min(REPLIES_WAITING_PAUSE_MS, Math.max(0, giveUpAt - Date.now())));
        continue;
      }
      const { booked, waitMs } = await this.channel.takeNow(1, this.options.reserve);
      if (booked) {
        wait = waitMs;
        break;
      }
      // A few milliseconds apart, as reply senders do, and never past the longest wait.
      await sleep(Math.min(waitMs + Math.floor(Math.random() * 5), Math.max(0, giveUpAt - Date.now())));
    }
    wait = Math.max(wait, await this.group.take(1));
    if (wait > 0) await sleep(wait);
  }
}
