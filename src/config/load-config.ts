import type { z } from 'zod';
import { channelSettingsOf } from './channel-settings.ts';
import { configSchema, DEFAULT_REDIS_URL, type Config } from './config-schema.ts';
import { contentPathsFrom } from './content-paths.ts';

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
