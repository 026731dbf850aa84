import { broadcastCommand } from './broadcast-command.ts';
import { ConfigError } from '../config/load-config.ts';
import { ReplyTimeoutError } from '../channels/console/console-channel.ts';
import { agenciesImportCommand } from './agencies-import-command.ts';
import { answerCommand } from './answer-command.ts';
import { casesListCommand, casesShowCommand } from './cases-command.ts';
import { chatCommand } from './chat-command.ts';
import { checkOfferCommand } from './check-offer-command.ts';
import { contentStaleCommand } from './content-stale-command.ts';
import { deadLettersCommand } from './deadletters-command.ts';
import { flowsCheckCommand } from './flows-check-command.ts';
import { flowsGraphCommand } from './flows-graph-command.ts';
import { nluCommand } from './nlu-command.ts';
import { parseCli, USAGE, UsageError } from './parse-cli.ts';
import { startCommand } from './start-command.ts';
import { ContentError } from '../content/content-error.ts';

/** Runs one `pelita` command and returns its exit code; expected failures print one clear message each. */
export async function main(argv: string[]): Promise<number> {
  try {
    const command = parseCli(argv);
    switch (command.name) {
      case 'start':
        return await startCommand(command.role);
      case 'chat':
        return await chatCommand(command);
      case 'flows-check':
        return flowsCheckCommand(command.json);
      case 'flows-graph':
        return flowsGraphCommand(command.flow);
      case 'check-offer':
        return await checkOfferCommand(command);
      case 'content-stale':
        return contentStaleCommand(command);
      case 'agencies-import':
        return agenciesImportCommand(command);
      case 'nlu':
        return await nluCommand(command);
      case 'answer':
        return await answerCommand(command);
      case 'cases-list':
        return await casesListCommand(command);
      case 'cases-show':
        return await casesShowCommand(command);
      case 'deadletters':
        return await deadLettersCommand(command);
      case 'broadcast':
        return await broadcastCommand(command);
      case 'help':
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`pelita: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`pelita: cannot start:\n${error.problems.map((line) => `  ${line}`).join('\n')}\n`);
      return 1;
    }
    if (error instanceof ContentError || error instanceof ReplyTimeoutError) {
      process.stderr.write(`pelita: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
