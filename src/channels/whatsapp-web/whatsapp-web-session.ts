import type { Client } from 'whatsapp-web.js';
import type { Logger } from '../../core/log/logger.ts';
import type { InboundGateway } from '../../pipeline/inbound-gateway.ts';
import { inboundFromMessage, type IncomingWhatsAppWebMessage } from './whatsapp-web-inbound.ts';
import type { RedisLease } from '../../redis/redis-lease.ts';
import type { LoginQrCode } from './whatsapp-web-qr.ts';

/** The lease lasts 60 s: renewed every 20 s, a dead holder frees it within a minute. */
export const LEASE_RENEW_MS = 20_000;
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 60_000;
/** How often a process without the number asks whether it is free. */
const STANDBY_RETRY_MS = 10_000;
const CHANNEL = { channel: 'whatsapp-web' } as const;

export interface WhatsAppWebSessionDeps {
  gateway: InboundGateway;
  log: Logger;
  /** Which process may run the client. */
  lease: RedisLease;
  qrCode: LoginQrCode;
  newClient: () => Promise<Client>;
}

/**
 * The life of the WhatsApp Web login in this process: take the number's lease in Redis
 * (one client per number across all processes; the others stand by), start a client,
 * show its QR code until it is logged in, hand its messages to the gateway, and when it
 * disconnects, close it and start a new one after a backoff (1 s doubling to 60 s, back
 * to 1 s once a client was ready). stop() ends all of it and lets go of the lease.
 */
export class WhatsAppWebSession {
  private client: Client | undefined;
  private ready = false;
  private stopped = false;
  private leaseLost = false;
  private running: Promise<void> | undefined;
  /** Ends the current client's run early (stop, or the lease went to another process). */
  private endClient: (() => void) | undefined;
  /** Cuts the current wait short. */
  private wake: (() => void) | undefined;
  /**
   * Messages go to the gateway one at a time, in the order WhatsApp Web reported them: two
   * at once could overtake each other (a script reloaded after a Redis restart, say), and
   * "1" then "2" must reach the engine in that order.
   */
  private receiving: Promise<void> = Promise.resolve();

  constructor(private readonly deps: WhatsAppWebSessionDeps) {}

  start(): void {
    // run() handles its own failures; this only keeps a bug from becoming an unhandled rejection.
    this.running ??= this.run().catch((error: unknown) =>
      this.deps.log.error({ ...CHANNEL, err: error }, 'the WhatsApp Web channel stopped'),
    );
  }

  /** The client when it is logged in and connected; undefined while it is not. */
  readyClient(): Client | undefined {
    return this.ready ? this.client : undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.endClient?.();
    this.wake?.();
    await this.running;
  }

  private async run(): Promise<void> {
    let standingBy = false;
    while (!this.stopped) {
      let taken = false;
      try {
        taken = await this.deps.lease.take();
      } catch (error) {
        this.deps.log.warn({ ...CHANNEL, err: error }, 'could not ask Redis who runs the WhatsApp Web client; trying again');
      }
      if (taken) {
        standingBy = false;
        await this.holdNumber();
        continue;
      }
      if (!standingBy && !this.stopped) {
        this.deps.log.info(CHANNEL, 'another process runs the WhatsApp Web client; this one stands by to take over');
        standingBy = true;
      }
      await this.pause(STANDBY_RETRY_MS);
    }
  }

  /** Runs clients one after another while this process holds the lease, renewing it. */
  private async holdNumber(): Promise<void> {
    const { log } = this.deps;
    this.leaseLost = false;
    let holding = true;
    const renewal = setInterval(() => {
      this.deps.lease.renew().then(
        (held) => {
          if (held || !holding || this.leaseLost) return;
          this.leaseLost = true;
          log.warn(CHANNEL, 'another process took over the WhatsApp Web number; closing this client');
          this.endClient?.();
          this.wake?.();
        },
        // Redis is away: the client keeps running, and the lease is taken back (or found
        // taken) when it answers again.
        (error: unknown) => log.warn({ ...CHANNEL, err: error }, 'could not renew the WhatsApp Web lease; trying again'),
      );
    }, LEASE_RENEW_MS);
    try {
      for (let delay = FIRST_RETRY_MS; !this.mustEnd(); delay = Math.min(delay * 2, MAX_RETRY_MS)) {
        if (await this.runClient()) delay = FIRST_RETRY_MS;
        if (this.mustEnd()) break;
        log.info({ ...CHANNEL, retryInMs: delay }, 'starting a new WhatsApp Web client after a pause');
        await this.pause(delay);
      }
    } finally {
      holding = false;
      clearInterval(renewal);
      // A lost lease is someone else's now; release() would not touch it anyway.
      if (!this.leaseLost)
        await this.deps.lease
          .release()
          .catch((error: unknown) =>
            log.warn({ ...CHANNEL, err: error }, 'could not release the WhatsApp Web lease; it expires in a minute'),
          );
    }
  }

  /** Stopping, or the number went to another process: no client may run here. */
  private mustEnd(): boolean {
    return this.stopped || this.leaseLost;
  }

  /**
   * Runs one client until it disconnects, fails to start, or is told to end, then closes
   * it. True when it was ready at some point (the backoff starts again from 1 s).
   */
  private async runClient(): Promise<boolean> {
    const { log } = this.deps;
    let client: Client;
    try {
      client = await this.deps.newClient();
    } catch (error) {
      log.error({ ...CHANNEL, err: error }, 'could not create the WhatsApp Web client');
      return false;
    }
    this.client = client;
    let wasReady = false;
    let ended = false;
    let initializeSettled = false;
    let endThisClient: () => void = () => undefined;
    const listeners = {
      qr: (qr: string) => void this.deps.qrCode.show(qr),
      ready: () => {
        wasReady = true;
        this.ready = true;
        void this.deps.qrCode.remove();
        log.info(CHANNEL, 'WhatsApp Web is logged in and answering');
      },
      message: (message: IncomingWhatsAppWebMessage) => {
        this.receiving = this.receiving.then(() => this.receive(message));
      },
      // LocalAuth never reports one, but another auth strategy might: the client shows a new QR code.
      auth_failure: (reason: string) => log.error({ ...CHANNEL, reason }, 'WhatsApp Web could not restore its login'),
      disconnected: (reason: string) => {
        log.warn({ ...CHANNEL, reason }, 'WhatsApp Web disconnected');
        endThisClient();
      },
    };
    const events = Object.keys(listeners) as (keyof typeof listeners)[];
    let initializing: Promise<void> | undefined;
    await new Promise<void>((end) => {
      endThisClient = () => {
        ended = true;
        this.ready = false;
        end();
      };
      this.endClient = endThisClient;
      // Told to end while the client was being made (stop, or the lease lost meanwhile).
      if (this.mustEnd()) return endThisClient();
      for (const event of events) client.on(event, listeners[event]);
      initializing = client.initialize().then(
        () => {
          initializeSettled = true;
        },
        (error: unknown) => {
          initializeSettled = true;
          // A client closed while it was starting fails to start, and that is no news.
          if (!ended) log.error({ ...CHANNEL, err: error }, 'the WhatsApp Web client failed to start (is CHROMIUM_PATH a Chromium?)');
          endThisClient();
        },
      );
    });
    this.endClient = undefined;
    this.client = undefined;
    for (const event of events) client.off(event, listeners[event]);
    // Closed already (whatsapp-web.js closes itself on some disconnects) or a dead browser:
    // either way nothing is left to close.
    await client.destroy().catch(() => undefined);
    // Told to end while still starting, it launches its browser after this destroy: close that one too.
    if (!initializeSettled) void initializing?.then(() => client.destroy()).catch(() => undefined);
    return wasReady;
  }

  /** Never rejects: the chain of messages behind it must go on. */
  private async receive(message: IncomingWhatsAppWebMessage): Promise<void> {
    try {
      const inbound = inboundFromMessage(message, new Date().toISOString());
      if (inbound) await this.deps.gateway.accept(inbound);
    } catch (error) {
      // whatsapp-web.js cannot refuse a message: the phone already counts it as delivered
      // to this linked device. It is lost unless WhatsApp delivers it again (it may, when
      // a new client syncs after a restart, but nothing promises that). Never crash on it.
      this.deps.log.error(
        { ...CHANNEL, err: error },
        'could not queue a WhatsApp Web message; it is lost unless WhatsApp delivers it again',
      );
    }
  }

  /** Waits `ms`, or less when stop() or a lost lease wakes it. */
  private pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
