/**
 * A mistake in a content file (flows, locales, content/, nlu/): reported as one line that
 * names the file, and where known the line and the field, never as a stack trace.
 */
export class ContentError extends Error {
  constructor(
    readonly file: string,
    detail: string,
    readonly line?: number,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${detail}`);
    this.name = 'ContentError';
  }
}
