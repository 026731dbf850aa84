import type { z } from 'zod';
import { type ChannelSettings, channelSettingsOf } from './channel-settings.ts';
import { configSchema, DEFAULT_REDIS_URL, type RawConfig } from './config-schema.ts';
import { type ContentPaths, contentPathsFrom } from './content-paths.ts';

/** The settings, parsed and checked, with what is derived from them. */
export interface Config extends Omit<RawConfig, 'REDIS_URL'> {
  REDIS_URL: string;
  /** False when REDIS_URL was not set: only then may Pelita start a private redis-server. */
  redisUrlWasSet: boolean;
  /** Where flows, sentences, facts and the NLU's data are read from (PELITA_*_DIR). */
  content: ContentPaths;
  /** Each configured channel's settings, checked together. */
  channels: ChannelSettings;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/** One line per problem, each starting with the variable's name. */
export function describeConfigErrors(error: z.ZodError, env: NodeJS.ProcessEnv): string[] {
  return error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? '(environment)');
    const value = env[variable];
    const shown = value === undefined ? 'it is not set' : `got ${JSON.stringify(value)}`;
    return `${variable}: ${issue.message} (${shown})`;
  });
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (FOO= in a .env file) means "not set", as in most twelve-factor tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) throw new ConfigError(describeConfigErrors(parsed.error, env));
  const { REDIS_URL, ...rest } = parsed.data;
  return {
    ...rest,
    REDIS_URL: REDIS_URL ?? DEFAULT_REDIS_URL,
    redisUrlWasSet: REDIS_URL !== undefined,
    content: contentPathsFrom(env),
    channels: channelSettingsOf(parsed.data),
  };
}
