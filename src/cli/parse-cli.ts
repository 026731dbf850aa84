import { messageOf } from '../core/log/error-message.ts';
import { parseArgs } from 'node:util';
import { NAMED_ACTIONS, type BroadcastAction } from './broadcast-command.ts';

export class UsageError extends Error {}

export const USAGE = `Usage:
  pelita start [--role all|gateway|worker]   run Pelita (HTTP on PORT, workers, channels)
  pelita chat [--user ID] [--lang id|en] [--json]
                                             chat in this terminal, or pipe lines in
  pelita flows check [--json]                check flows, locales and content; exit 1 on errors
  pelita flows graph [FLOW]                  a flow as a Mermaid diagram (without FLOW: the list of flows)
  pelita check-offer [--json] [--lang id|en] rate a job offer (read on stdin) for red flags
  pelita content stale [--days N] [--json]   list contacts due for re-checking (default 180 days)
  pelita agencies import FILE --source TEXT  load the official P3MI licence list from a CSV export
  pelita answer [--json] [--lang id|en]      the answer card a message (read on stdin) asks for
  pelita answer --evaluate FILE [--json] [--errors]
                                            top-1 and top-3 accuracy of the answer bank on labelled questions
  pelita answer --stats [--json]             how often each card was shown and rated helpful (reads Redis)
  pelita nlu [--json] [--lang id|en]         language, intent and emergency for each stdin line
  pelita nlu --evaluate FILE [--json] [--errors]
                                            intent accuracy, emergency recall and false alarms on labelled
                                            messages; --errors also lists each message it got wrong
  pelita cases list [--status open|claimed|resolved|overdue] [--json]
                                             cases for case workers, newest first
  pelita cases show ID [--json]              one case and its audit trail
  pelita broadcast create FILE --by NAME     store an alert broadcast (YAML or JSON) as a draft
  pelita broadcast preview ID [--json]       who it would reach (per channel, language, segment) and how it looks
  pelita broadcast approve|send|pause|resume|cancel ID --by NAME
                                             move a broadcast along; above the threshold another staff member approves
  pelita broadcast status ID [--json]        sent, failed, skipped, deferred, pending and an ETA, with the audit trail
  pelita broadcast list [--json]             every broadcast and its state
  pelita deadletters list|retry ID|drop ID [--json]
                                             messages the engine failed on too often (ids and errors, no text)
  pelita help                                this text

Settings come from environment variables; see .env.example and the README.`;

export type Command =
  | { name: 'start'; role: 'all' | 'gateway' | 'worker' }
  | { name: 'chat'; user: string | undefined; lang: string | undefined; json: boolean }
  | { name: 'flows-check'; json: boolean }
  | { name: 'flows-graph'; flow: string | undefined }
  | { name: 'check-offer'; json: boolean; lang: string | undefined }
  | { name: 'content-stale'; days: number; json: boolean }
  | { name: 'agencies-import'; file: string; source: string }
  | { name: 'answer'; json: boolean; lang: string | undefined; evaluate: string | undefined; errors: boolean; stats: boolean }
  | { name: 'nlu'; json: boolean; lang: string | undefined; evaluate: string | undefined; errors: boolean }
  | { name: 'cases-list'; status: 'open' | 'claimed' | 'resolved' | 'overdue' | undefined; json: boolean }
  | { name: 'cases-show'; id: string; json: boolean }
  | { name: 'deadletters'; action: 'list' | 'retry' | 'drop'; id: string | undefined; json: boolean }
  | { name: 'broadcast'; action: BroadcastAction; target: string | undefined; by: string | undefined; json: boolean }
  | { name: 'help' };

export function parseCli(argv: string[]): Command {
  const [name, ...rest] = argv;
  try {
    switch (name) {
      case 'start': {
        const { values } = parseArgs({ args: rest, options: { role: { type: 'string', default: 'all' } }, strict: true });
        if (values.role !== 'all' && values.role !== 'gateway' && values.role !== 'worker') {
          throw new UsageError(`--role must be all, gateway or worker (got ${values.role})`);
        }
        return { name: 'start', role: values.role };
      }
      case 'chat': {
        const { values } = parseArgs({
          args: rest,
          options: { user: { type: 'string' }, lang: { type: 'string' }, json: { type: 'boolean', default: false } },
          strict: true,
        });
        return { name: 'chat', user: values.user, lang: values.lang, json: values.json ?? false };
      }
      case 'flows': {
        const [sub, ...options] = rest;
        if (sub === 'graph') {
          const { positionals } = parseArgs({ args: options, allowPositionals: true, strict: true });
          if (positionals.length > 1) throw new UsageError('pelita flows graph takes one flow id at most');
          return { name: 'flows-graph', flow: positionals[0] };
        }
        if (sub !== 'check')
          throw new UsageError(`unknown flows command: ${sub ?? '(none)'}; try: pelita flows check, pelita flows graph [flow]`);
        const { values } = parseArgs({ args: options, options: { json: { type: 'boolean', default: false } }, strict: true });
        return { name: 'flows-check', json: values.json ?? false };
      }
      case 'check-offer': {
        const { values } = parseArgs({
          args: rest,
          options: { json: { type: 'boolean', default: false }, lang: { type: 'string' } },
          strict: true,
        });
        return { name: 'check-offer', json: values.json ?? false, lang: values.lang };
      }
      case 'content': {
        const [sub, ...options] = rest;
        if (sub !== 'stale') throw new UsageError(`unknown content command: ${sub ?? '(none)'}; try: pelita content stale`);
        const { values } = parseArgs({
          args: options,
          options: { days: { type: 'string', default: '180' }, json: { type: 'boolean', default: false } },
          strict: true,
        });
        const days = Number(values.days);
        if (!Number.isInteger(days) || days < 0) throw new UsageError(`--days must be a whole number (got ${values.days})`);
        return { name: 'content-stale', days, json: values.json ?? false };
      }
      case 'answer': {
        const { values } = parseArgs({
          args: rest,
          options: {
            json: { type: 'boolean', default: false },
            lang: { type: 'string' },
            evaluate: { type: 'string' },
            errors: { type: 'boolean', default: false },
            stats: { type: 'boolean', default: false },
          },
          strict: true,
        });
        return {
          name: 'answer',
          json: values.json ?? false,
          lang: values.lang,
          evaluate: values.evaluate,
          errors: values.errors ?? false,
          stats: values.stats ?? false,
        };
      }
      case 'nlu': {
        const { values } = parseArgs({
          args: rest,
          options: {
            json: { type: 'boolean', default: false },
            lang: { type: 'string' },
            evaluate: { type: 'string' },
            errors: { type: 'boolean', default: false },
          },
          strict: true,
        });
        return { name: 'nlu', json: values.json ?? false, lang: values.lang, evaluate: values.evaluate, errors: values.errors ?? false };
      }
      case 'cases': {
        const [sub, ...options] = rest;
        const { values, positionals } = parseArgs({
          args: options,
          options: { status: { type: 'string' }, json: { type: 'boolean', default: false } },
          allowPositionals: true,
          strict: true,
        });
        if (sub === 'list') {
          const status = values.status;
          if (status !== undefined && status !== 'open' && status !== 'claimed' && status !== 'resolved' && status !== 'overdue') {
            throw new UsageError(`--status must be open, claimed, resolved or overdue (got ${status})`);
          }
          return { name: 'cases-list', status, json: values.json ?? false };
        }
        if (sub === 'show' && positionals.length === 1) return { name: 'cases-show', id: positionals[0]!, json: values.json ?? false };
        throw new UsageError('try: pelita cases list [--status open] [--json], or pelita cases show ID');
      }
      case 'deadletters': {
        const [action, ...options] = rest;
        const { values, positionals } = parseArgs({
          args: options,
          options: { json: { type: 'boolean', default: false } },
          allowPositionals: true,
          strict: true,
        });
        if (action === 'list' && positionals.length === 0)
          return { name: 'deadletters', action, id: undefined, json: values.json ?? false };
        if ((action === 'retry' || action === 'drop') && positionals.length === 1)
          return { name: 'deadletters', action, id: positionals[0], json: values.json ?? false };
        throw new UsageError('try: pelita deadletters list [--json], or pelita deadletters retry|drop CONVERSATION/MESSAGE');
      }
      case 'broadcast': {
        const [action, ...options] = rest;
        const { values, positionals } = parseArgs({
          args: options,
          options: { by: { type: 'string' }, json: { type: 'boolean', default: false } },
          allowPositionals: true,
          strict: true,
        });
        const actions: readonly string[] = ['create', 'preview', 'approve', 'send', 'pause', 'resume', 'cancel', 'status', 'list'];
        if (action === undefined || !actions.includes(action)) {
          throw new UsageError(
            `unknown broadcast command: ${action ?? '(none)'}; try: pelita broadcast create|preview|approve|send|pause|resume|cancel|status|list`,
          );
        }
        const chosen = action as BroadcastAction;
        const wanted = chosen === 'list' ? 0 : 1;
        if (positionals.length !== wanted) {
          throw new UsageError(
            chosen === 'list'
              ? 'broadcast list takes no arguments'
              : `broadcast ${chosen} takes one ${chosen === 'create' ? 'FILE' : 'ID'}`,
          );
        }
        if (NAMED_ACTIONS.includes(chosen) && !values.by?.trim()) {
          throw new UsageError(`broadcast ${chosen} needs --by NAME: every change is audited with who made it`);
        }
        return { name: 'broadcast', action: chosen, target: positionals[0], by: values.by?.trim(), json: values.json ?? false };
      }
      case 'agencies': {
        const [sub, ...options] = rest;
        if (sub !== 'import')
          throw new UsageError(`unknown agencies command: ${sub ?? '(none)'}; try: pelita agencies import FILE --source TEXT`);
        const { values, positionals } = parseArgs({
          args: options,
          options: { source: { type: 'string' } },
          allowPositionals: true,
          strict: true,
        });
        if (positionals.length !== 1) throw new UsageError('agencies import takes one CSV file');
        if (!values.source) throw new UsageError('agencies import needs --source, e.g. --source "Siskop2MI export, 2026-11-20"');
        return { name: 'agencies-import', file: positionals[0]!, source: values.source };
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        return { name: 'help' };
      default:
        throw new UsageError(`unknown command: ${name}`);
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(messageOf(error));
  }
}
