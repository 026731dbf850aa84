import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';

/**
 * A Lua script run by its SHA (EVALSHA), after running once by source on each connection
 * (which loads it into Redis; a reconnection starts over, as Redis may have restarted).
 * Sending the source with every EVAL cost a fifth of the pipeline's CPU time in the
 * benchmark, spent copying script text into sockets.
 *
 * A script's source is also a valid Lua function body taking (KEYS, ARGV), which is how
 * `sequence` (and a queue's acknowledgement) run several scripts as one atomic step.
 */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /**
   * The script in a Lua file. Scripts live in a `lua/` folder beside the module that loads
   * them, one file a script, read once as that module is imported. `uses` are other scripts
   * the file calls as functions of (KEYS, ARGV), by the names given: Redis scripts cannot
   * load one another, so their sources go before the file's.
   */
  static fromFile(file: URL, uses: Readonly<Record<string, LuaScript>> = {}): LuaScript {
    return new LuaScript(localFunctions(uses) + readLuaFile(file));
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    const loaded = scriptsLoadedOn(redis);
    if (!loaded.has(this.sha)) {
      // The first time on a connection, the source (which also loads it). By SHA with a
      // retry by source on NOSCRIPT, a later call could overtake this one: two messages of
      // one conversation, sent at once after a restart, would be stored out of order.
      const result = await redis.eval(this.source, keys.length, ...keys, ...args);
      loaded.add(this.sha);
      return result;
    }
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      // Someone flushed the script cache under a live connection.
      if (!isNoScript(error)) throw error;
      loaded.delete(this.sha);
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }

  /** This script wrapped as a Lua function expression of (KEYS, ARGV), for composing. */
  asFunction(): string {
    return `function(KEYS, ARGV)\n${this.source}\nend`;
  }
}

/**
 * The Lua in `file`, for a script or the fixed part of one the code composes. Its opening
 * comment (KEYS, ARGV, result) goes to Redis with the rest: Lua comments are allowed
 * anywhere in a function body, so a file's source still composes.
 */
export function readLuaFile(file: URL): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the Lua script ${fileURLToPath(file)} (it ships beside the module that loads it)`, { cause: error });
  }
}

/** Lua defining each script as a local function of (KEYS, ARGV) by its name, for source that follows to call. */
export function localFunctions(scripts: Readonly<Record<string, LuaScript>>): string {
  return Object.entries(scripts)
    .map(([name, script]) => `local ${name} = ${script.asFunction()}\n`)
    .join('');
}

const loadedScripts = new WeakMap<Redis, Set<string>>();

/** The scripts a connection has run since it (re)connected: a Redis that restarted has forgotten them all. */
function scriptsLoadedOn(redis: Redis): Set<string> {
  let loaded = loadedScripts.get(redis);
  if (!loaded) {
    const scripts = new Set<string>();
    redis.on('ready', () => scripts.clear());
    loadedScripts.set(redis, scripts);
    loaded = scripts;
  }
  return loaded;
}

/** One script with its keys and arguments, not run yet: a write another step can carry. */
export interface ScriptCall {
  script: LuaScript;
  keys: readonly string[];
  args: readonly (string | number)[];
}

export function runCall(redis: Redis, call: ScriptCall): Promise<unknown> {
  return call.script.run(redis, call.keys, call.args);
}

/**
 * The calls as one script, run in order in a single atomic step (Redis runs a script
 * without interleaving other commands). Its first arguments are each call's key and
 * argument counts; the result is the last call's. Undefined calls are left out.
 */
export function sequence(...calls: (ScriptCall | undefined)[]): ScriptCall | undefined {
  const present = calls.filter((call): call is ScriptCall => call !== undefined);
  if (present.length <= 1) return present[0];
  const script = composed(
    present.map((call) => call.script),
    sequenceSource,
  );
  return {
    script,
    keys: present.flatMap((call) => call.keys),
    args: [...present.flatMap((call) => [call.keys.length, call.args.length]), ...present.flatMap((call) => call.args)],
  };
}

const SEQUENCE = readLuaFile(new URL('./lua/sequence.lua', import.meta.url));

function sequenceSource(scripts: readonly LuaScript[]): string {
  const parts = scripts.map((part) => part.asFunction()).join(',\n');
  return `local parts = {\n${parts}\n}\n${SEQUENCE}`;
}

interface CompositionNode {
  next: WeakMap<LuaScript, CompositionNode>;
  byBuilder: WeakMap<object, LuaScript>;
}

const compositions: CompositionNode = { next: new WeakMap(), byBuilder: new WeakMap() };

/**
 * The script `build` makes of `parts`, built once: composed scripts are few (one per
 * combination used) but asked for on every turn, so they are found by identity, not by
 * hashing their source again. `build` must be a function defined once (it is part of the key).
 */
export function composed(parts: readonly LuaScript[], build: (parts: readonly LuaScript[]) => string): LuaScript {
  let node = compositions;
  for (const part of parts) {
    let child = node.next.get(part);
    if (!child) {
      child = { next: new WeakMap(), byBuilder: new WeakMap() };
      node.next.set(part, child);
    }
    node = child;
  }
  let script = node.byBuilder.get(build);
  if (!script) {
    script = new LuaScript(build(parts));
    node.byBuilder.set(build, script);
  }
  return script;
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
