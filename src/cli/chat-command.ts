import { createInterface } from 'node:readline';
import { ConsoleChannel } from '../channels/console/console-channel.ts';
import { renderAsJson, renderForTerminal } from '../channels/console/render-console.ts';
import { UsageError } from './parse-cli.ts';
import { boot } from './boot.ts';
import { loadConfig } from '../config/load-config.ts';
import { loadTranslator } from '../content/translator.ts';

/**
 * `pelita chat`: the console channel, with an engine worker in the same process so it
 * works on its own. Interactive in a terminal; with piped input, one message per line,
 * each answered completely before the next is sent.
 */
export async function chatCommand(options: { user: string | undefined; lang: string | undefined; json: boolean }): Promise<number> {
  const interactive = process.stdin.isTTY === true && !options.json;
  // Logs go to stderr and only from warnings up, unless LOG_LEVEL says otherwise: the
  // terminal is the person's conversation.
  const env = { LOG_LEVEL: 'warn', ...process.env };
  // Checked before anything starts: a wrong option should not cost the seconds of training the NLU.
  if (options.lang !== undefined) {
    const { languages } = loadTranslator(loadConfig(env).content.locales);
    if (!languages.includes(options.lang)) throw new UsageError(`--lang must be one of ${languages.join(', ')} (got ${options.lang})`);
  }
  const booted = await boot({ role: 'all', http: false, logDestination: process.stderr, env });
  try {
    // Without --user every run is a new conversation, so piped scripts are repeatable.
    const user = options.user ?? `local-${process.pid}-${Date.now().toString(36)}`;
    const channel = new ConsoleChannel(booted.runtime.gateway, booted.runtime.replyLog, user, options.lang);
    await channel.open();
    const print = (text: string) => process.stdout.write(`${text}\n`);
    const show = options.json
      ? (reply: Parameters<typeof renderAsJson>[0]) => print(renderAsJson(reply))
      : (reply: Parameters<typeof renderForTerminal>[0]) => print(`${renderForTerminal(reply)}\n`);

    const lines = createInterface({
      input: process.stdin,
      output: interactive ? process.stdout : undefined,
      terminal: interactive,
      prompt: '> ',
    });
    if (interactive) {
      print('Pelita chat. Type a message (or a menu number); Ctrl+D to leave.\n');
      lines.prompt();
    }
    for await (const line of lines) {
      const text = line.trim();
      if (text !== '') await channel.send(text, show);
      if (interactive) lines.prompt();
    }
    return 0;
  } finally {
    await booted.shutdown();
  }
}
