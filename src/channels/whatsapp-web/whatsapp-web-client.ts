import path from 'node:path';
import type { Client, ClientOptions } from 'whatsapp-web.js';

/**
 * A new whatsapp-web.js client with Pelita's options, made by `createClient` (tests pass a
 * double) or else by the package itself. Each reconnect makes a new one: a destroyed
 * client cannot be initialized again.
 */
export async function newWhatsAppWebClient(settings: {
  dataDir: string;
  chromiumPath: string;
  createClient?: ((options: ClientOptions) => Client) | undefined;
}): Promise<Client> {
  // whatsapp-web.js is CommonJS and loads puppeteer (half a second): only a process that
  // runs the client pays for it. Node sees `Client` as a named export but not `LocalAuth`.
  const { Client: WhatsAppWebClient, LocalAuth } = (await import('whatsapp-web.js')).default;
  const options: ClientOptions = {
    // The login survives restarts in DATA_DIR: a QR code is needed only the first time.
    authStrategy: new LocalAuth({ dataPath: path.join(settings.dataDir, 'whatsapp-web-auth') }),
    // Containers have no user namespaces for Chromium's sandbox, and a small /dev/shm.
    puppeteer: { executablePath: settings.chromiumPath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] },
  };
  return (settings.createClient ?? ((given) => new WhatsAppWebClient(given)))(options);
}
