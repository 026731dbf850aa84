import { z } from 'zod';

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** "1"/"true"/"yes" and "0"/"false"/"no"; anything else is a mistake worth reporting. */
const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''], { error: 'expected 1 or 0' })
  .default('0')
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

/** `name:token` pairs separated by commas (one per partner or staff member, so one can be rotated or revoked alone). */
const namedTokens = z
  .string()
  .optional()
  .transform((value, context) => {
    const tokens: { name: string; token: string }[] = [];
    for (const entry of (value ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)) {
      const split = entry.indexOf(':');
      const name = entry.slice(0, split);
      const token = entry.slice(split + 1);
      if (split <= 0 || !/^[A-Za-z0-9_-]{1,40}$/.test(name) || token.length < 24) {
        context.addIssue({
          code: 'custom',
          message: 'expected name:token pairs separated by commas, each token at least 24 characters',
        });
        return z.NEVER;
      }
      tokens.push({ name, token });
    }
    return tokens;
  });

const integer = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: `expected a whole number from ${min} to ${max}` })
    .int({ error: `expected a whole number from ${min} to ${max}` })
    .min(min, { error: `expected a whole number from ${min} to ${max}` })
    .max(max, { error: `expected a whole number from ${min} to ${max}` })
    .default(fallback);

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));

const redisUrl = z.string().refine((value) => /^rediss?:\/\//.test(value), { error: 'expected a redis:// or rediss:// URL' });

const httpUrl = z
  .string()
  .refine((value) => value === '' || /^https?:\/\/[^\s]+$/.test(value), { error: 'expected an http:// or https:// URL' })
  .optional()
  .transform((value) => (value ? value : undefined));

/**
 * Every setting Pelita reads, from the environment. The README's configuration table lists
 * the same variables; `describeConfigErrors` names the variable in every problem.
 */
export const configSchema = z
  .object({
    REDIS_URL: redisUrl.optional(),
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.{}-]+$/, { error: 'expected letters, digits, _ . - { } only' })
      .default('pelita'),
    PORT: integer(0, 65535, 3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    /** A worker process serves /healthz, /readyz and /metrics on this port when set. */
    METRICS_PORT: z.coerce
      .number({ error: 'expected a whole number from 0 to 65535' })
      .int({ error: 'expected a whole number from 0 to 65535' })
      .min(0, { error: 'expected a whole number from 0 to 65535' })
      .max(65535, { error: 'expected a whole number from 0 to 65535' })
      .optional(),
    DATA_DIR: z.string().min(1).default('.pelita'),
    HTTP_CHANNEL_TOKEN: optionalText,
    /**
     * Partners' server tokens for the HTTP channel, `name:token` separated by commas (one per
     * partner, so one can be rotated or revoked alone). HTTP_CHANNEL_TOKEN counts as one more,
     * named "default".
     */
    HTTP_CHANNEL_TOKENS: namedTokens,
    /** When set, /metrics asks for it as a bearer token; without it /metrics is served only on loopback. */
    METRICS_TOKEN: optionalText,
    HTTP_CALLBACK_URL: httpUrl,
    WORKER_CONCURRENCY: integer(1, 256, 16),
    SESSION_TTL_DAYS: integer(1, 3650, 90),
    DEDUPE_TTL_HOURS: integer(1, 24 * 30, 72),
    /** How long a dead worker's conversation stays locked, and how often the sweeper looks for such conversations. */
    QUEUE_LOCK_MS: integer(1000, 600_000, 30_000),
    /** Failed turns on one message before it is set aside (a dead letter) and the person gets a safe answer. */
    DEAD_LETTER_ATTEMPTS: integer(1, 100, 5),
    /**
     * Outbound pacing, messages per second (0: no limit). Defaults follow the platforms'
     * published limits: Telegram about 30 per second overall and 1 per second per chat,
     * WhatsApp Cloud API 80 per second per number.
     */
    TELEGRAM_RATE_PER_S: integer(0, 100_000, 30),
    TELEGRAM_CHAT_RATE_PER_S: integer(0, 1000, 1),
    WHATSAPP_RATE_PER_S: integer(0, 100_000, 80),
    /** WhatsApp messages older than this are acknowledged and dropped (Meta stops retrying after about a day). */
    WHATSAPP_MAX_MESSAGE_AGE_HOURS: integer(1, 24 * 7, 24),
    HTTP_CALLBACK_RATE_PER_S: integer(0, 100_000, 0),
    /** Messages one conversation may receive at once before its per-conversation pace applies. */
    OUTBOUND_BURST: integer(1, 100, 3),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_MESSAGES: flag,
    /** From BotFather; the Telegram channel is on when it is set. */
    TELEGRAM_BOT_TOKEN: z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]+$/, { error: 'expected a bot token as BotFather gives it, e.g. 123456:ABC-def' })
      .optional(),
    /** A self-hosted Bot API server (or, in tests, an emulator). */
    TELEGRAM_API_ROOT: httpUrl,
    /** Set: Telegram POSTs updates to this URL's /webhooks/telegram instead of being polled. */
    TELEGRAM_WEBHOOK_URL: httpUrl,
    TELEGRAM_WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, { error: 'expected 16 to 256 letters, digits, _ or -' })
      .optional(),
    /** 1: the whatsapp-web.js channel (an ordinary number, for pilots; log in by QR code). */
    WHATSAPP_WEB_ENABLED: flag,
    /** The system Chromium whatsapp-web.js drives; installing Pelita never downloads a browser. */
    CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
    /** An unofficial client: gentle by default, to keep the number from being banned. */
    WHATSAPP_WEB_RATE_PER_S: integer(0, 1000, 5),
    /** Meta's WhatsApp Cloud API: on when all four are set. */
    WHATSAPP_CLOUD_ACCESS_TOKEN: optionalText,
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: z.string().regex(/^\d+$/, { error: 'expected the numeric phone number id from Meta' }).optional(),
    WHATSAPP_CLOUD_APP_SECRET: optionalText,
    WHATSAPP_CLOUD_VERIFY_TOKEN: optionalText,
    /** The Graph API base URL (tests point it at a local server). */
    WHATSAPP_API_BASE: httpUrl,
    /**
     * Approved message templates for people outside the 24-hour window, as
     * name:language (e.g. pelita_followup:id); empty: nothing is sent outside the window.
     */
    WHATSAPP_CLOUD_TEMPLATE: z
      .string()
      .regex(/^[a-z0-9_]+:[a-zA-Z_]+$/, { error: 'expected template_name:language_code, e.g. pelita_followup:id' })
      .optional(),
    /** The Telegram group where case workers get cases (a negative id, e.g. -1001234567890). */
    OPERATORS_TELEGRAM_CHAT_ID: z.coerce
      .number({ error: 'expected a Telegram chat id (a whole number)' })
      .int({ error: 'expected a Telegram chat id (a whole number)' })
      .optional(),
    /** Telegram user ids allowed to act on cases, comma-separated; empty: every group member. */
    OPERATORS_ALLOWED_USER_IDS: z
      .string()
      .regex(/^\s*(\d+\s*(,\s*\d+\s*)*)?$/, { error: 'expected Telegram user ids separated by commas' })
      .optional()
      .transform((value) => (value ? value.split(',').map((id) => Number(id.trim())) : [])),
    /** A case not claimed within this many minutes is posted again and marked overdue. */
    CONTACT_SOURCE_MAX_AGE_MONTHS: z.coerce
      .number({ error: 'expected a number of months' })
      .int({ error: 'expected a whole number of months' })
      .positive({ error: 'expected a number of months above 0' })
      .default(36),
    /**
     * After "delete my data", the confirmation and its delivery markers are erased too, this
     * long after: time for the person to read it.
     */
    ERASE_SECOND_PASS_S: integer(0, 86_400, 600),
    /**
     * Inbound limits, per minute (0: none). One sender past theirs is told once to slow down
     * (with the hotlines) and the rest dropped; new conversations past the cap are dropped.
     * A message that reads as an emergency is never limited.
     */
    SENDER_MESSAGES_PER_MIN: integer(0, 100_000, 40),
    NEW_CONVERSATIONS_PER_MIN: integer(0, 10_000_000, 1200),
    /** Requests a minute from one address to the HTTP channel without a partner token (0: none). */
    HTTP_REQUESTS_PER_MIN_PER_IP: integer(0, 1_000_000, 300),
    /** How long the HTTP channel holds back its answer to a message refused by the limits (ms; 0: not held). */
    HTTP_REFUSAL_DELAY_MS: integer(0, 30_000, 1000),
    /** Open connections from one address; more are closed at once, so slow clients cannot use up the process. */
    HTTP_CONNECTIONS_PER_IP: integer(1, 1_000_000, 256),
    /** Notices to case workers wait for replies to go first, but never longer than this. */
    OPERATOR_NOTICE_MAX_WAIT_S: integer(1, 600, 10),
    ESCALATION_SLA_MINUTES: z.coerce
      .number({ error: 'expected a number of minutes' })
      .positive({ error: 'expected a number of minutes above 0' })
      .default(10),
    /** Bearer token for the admin API (/v1/cases, /v1/broadcasts), named "admin"; unset, with no ADMIN_TOKENS: the admin API refuses everything. */
    ADMIN_TOKEN: optionalText,
    /** Staff members' own admin API tokens, `name:token` separated by commas: every action is audited with the name. */
    ADMIN_TOKENS: namedTokens,
    /** A broadcast to more people than this needs a second staff member's approval. */
    BROADCAST_APPROVAL_THRESHOLD: integer(0, 100_000_000, 1000),
    /** Broadcast recipients in flight at once per channel in one process. */
    BROADCAST_CONCURRENCY: integer(1, 64, 8),
    /** Percent of each channel's rate broadcasts leave to live conversations (whose replies also always go first). */
    BROADCAST_LIVE_SHARE_PERCENT: integer(0, 90, 5),
    /**
     * A broadcast message whose sending a crash cut off, on WhatsApp Cloud, waits this long
     * for the platform's status report: with one it counts as sent, without it is sent again.
     */
    BROADCAST_REPORT_WAIT_S: integer(1, 86_400, 900),
    /** At most this many alerts a week to one person: what the consent sentence promises (locales' alerts.consent). */
    ALERTS_PER_WEEK: integer(1, 50, 2),
    /** Case workers answer cases through the admin API (an NGO's own console): replies may promise a human answer. */
    CASE_WORKERS_USE_ADMIN_API: flag,
  })
  .superRefine((config, context) => {
    const cloud = [
      'WHATSAPP_CLOUD_ACCESS_TOKEN',
      'WHATSAPP_CLOUD_PHONE_NUMBER_ID',
      'WHATSAPP_CLOUD_APP_SECRET',
      'WHATSAPP_CLOUD_VERIFY_TOKEN',
    ] as const;
    const cloudSet = cloud.filter((name) => config[name] !== undefined);
    if (cloudSet.length > 0 && cloudSet.length < cloud.length) {
      for (const name of cloud.filter((variable) => config[variable] === undefined)) {
        context.addIssue({ code: 'custom', path: [name], message: `required with ${cloudSet.join(', ')}: the Cloud API needs all four` });
      }
    }
    if (config.CASE_WORKERS_USE_ADMIN_API && !config.ADMIN_TOKEN && config.ADMIN_TOKENS.length === 0) {
      context.addIssue({
        code: 'custom',
        path: ['ADMIN_TOKEN'],
        message: 'required with CASE_WORKERS_USE_ADMIN_API: case workers reach cases through the admin API',
      });
    }
    if (config.OPERATORS_TELEGRAM_CHAT_ID !== undefined && !config.TELEGRAM_BOT_TOKEN) {
      context.addIssue({
        code: 'custom',
        path: ['TELEGRAM_BOT_TOKEN'],
        message: 'required with OPERATORS_TELEGRAM_CHAT_ID: the bot posts the cases',
      });
    }
    if (config.TELEGRAM_WEBHOOK_URL && !config.TELEGRAM_WEBHOOK_SECRET) {
      context.addIssue({
        code: 'custom',
        path: ['TELEGRAM_WEBHOOK_SECRET'],
        message: 'required with TELEGRAM_WEBHOOK_URL, so forged updates can be refused',
      });
    }
    if (config.TELEGRAM_WEBHOOK_URL && !config.TELEGRAM_BOT_TOKEN) {
      context.addIssue({ code: 'custom', path: ['TELEGRAM_BOT_TOKEN'], message: 'required with TELEGRAM_WEBHOOK_URL' });
    }
  });

export type RawConfig = z.infer<typeof configSchema>;

export { DEFAULT_REDIS_URL };
