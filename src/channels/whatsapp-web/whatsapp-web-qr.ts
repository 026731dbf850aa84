import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import QRCode from 'qrcode';
import type { Logger } from '../../core/log/logger.ts';

/**
 * The login QR code, shown where the operator can scan it: in the terminal (stderr, so
 * stdout stays pino's JSON lines) and as a PNG in DATA_DIR for a server without a screen
 * (copy it off, or open it over SSH). WhatsApp renews the code about every 20 seconds;
 * each new one replaces the file, and the file goes once the number is logged in.
 */
export class LoginQrCode {
  readonly pngPath: string;
  /** Writes and removals in the order the events came: a quick 'ready' must not be undone by a slow write. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly dataDir: string,
    private readonly log: Logger,
  ) {
    this.pngPath = path.join(dataDir, 'whatsapp-web-qr.png');
  }

  show(qr: string): Promise<void> {
    return this.inOrder(async () => {
      const picture = await QRCode.toString(qr, { type: 'terminal', small: true });
      process.stderr.write(`\n${picture}\n`);
      await mkdir(this.dataDir, { recursive: true });
      await QRCode.toFile(this.pngPath, qr);
      this.log.info(
        { channel: 'whatsapp-web', file: this.pngPath },
        'WhatsApp Web needs a login: on the phone of the bot number, open WhatsApp > Linked devices > Link a device and scan the QR code (terminal or file)',
      );
    });
  }

  remove(): Promise<void> {
    return this.inOrder(() => rm(this.pngPath, { force: true }));
  }

  private inOrder(step: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(step).catch((error: unknown) => {
      this.log.warn({ channel: 'whatsapp-web', err: error }, 'could not show or remove the WhatsApp Web QR code');
    });
    return this.queue;
  }
}
