import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/**
 * Fields that can identify a person or carry what they wrote. A watched worker's phone
 * number or words in a log file can put them in danger, so they are censored unless the
 * operator explicitly sets LOG_MESSAGES=1 (for local debugging).
 */
export const PERSONAL_FIELDS = ['text', 'from', 'chatId', 'conversationId', 'userId', 'phone', 'replies', 'location', 'key'];

export interface LoggerOptions {
  level: string;
  logMessages: boolean;
  /** Defaults to stdout; `pelita chat` logs to stderr so its stdout stays pure replies. */
  destination?: NodeJS.WritableStream;
}

export function createLogger({ level, logMessages, destination }: LoggerOptions): Logger {
  const paths = PERSONAL_FIELDS.flatMap((field) => [field, `*.${field}`]);
  const stream = destination ?? process.stdout;
  // A person at a terminal reads lines; a log collector reads JSON. Redaction happens
  // before either.
  const readable = (stream as Partial<NodeJS.WriteStream>).isTTY === true;
  return pino(
    {
      level,
      base: { app: 'pelita' },
      redact: logMessages ? undefined : { paths, censor: '[redacted]' },
    },
    readable ? pretty({ destination: stream, colorize: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname,app', sync: true }) : stream,
  );
}
