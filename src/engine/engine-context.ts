import type { ContactDirectory } from '../content/contact-directory.ts';
import type { FlowSet } from '../flows/load-flows.ts';
import type { Translator } from '../i18n/translator.ts';

/** Everything the engine reads besides the session and the message: content, loaded once. */
export interface EngineContext {
  flows: FlowSet;
  translator: Translator;
  contacts: ContactDirectory;
  /** Nodes run for one message before a loop is declared; keeps a content mistake from hanging a worker. */
  maxSteps?: number;
}
