import type { RawConfig } from './config-schema.ts';

/** Meta's Graph API, for the WhatsApp Cloud API (WHATSAPP_API_BASE overrides it). */
export const DEFAULT_GRAPH_API_BASE = 'https://graph.facebook.com/v21.0';

/** The WhatsApp Cloud API, present only when all four of its settings are (the schema checks that). */
export interface WhatsAppCloudSettings {
  base: string;
  phoneNumberId: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  /** An approved template (name and language) for people outside the 24-hour window, if any. */
  template: { name: string; language: string } | undefined;
  /** Older messages are acknowledged and dropped: Meta retries for about a day. */
  maxMessageAgeMs: number;
  perSecond: number;
}

/** Telegram, present with TELEGRAM_BOT_TOKEN. */
export interface TelegramSettings {
  token: string;
  /** A Bot API server other than Telegram's own (tests use an emulator). */
  apiRoot: string | undefined;
  /** Webhook mode (the schema requires the secret with the URL); long polling otherwise. */
  webhook: { url: string; secret: string } | undefined;
  /** The bot's pace in all, and to each chat. */
  perSecond: number;
  perChatPerSecond: number;
}

/** WhatsApp on an ordinary number, present with WHATSAPP_WEB_ENABLED. */
export interface WhatsAppWebSettings {
  dataDir: string;
  chromiumPath: string;
  perSecond: number;
}

/** The HTTP channel's partner callback, present with HTTP_CALLBACK_URL. */
export interface HttpCallbackSettings {
  url: string;
  /** Sent as the bearer token, so the partner knows it is Pelita. */
  token: string | undefined;
  /** 0: no limit. */
  perSecond: number;
}

/**
 * Each configured channel's settings as one typed section; absent when it is not
 * configured. `outboundBurst` and `rememberSeconds` apply to every push channel.
 */
export interface ChannelSettings {
  telegram?: TelegramSettings;
  whatsappCloud?: WhatsAppCloudSettings;
  whatsappWeb?: WhatsAppWebSettings;
  httpCallback?: HttpCallbackSettings;
  /** How many messages may go at once before a channel's pace applies. */
  outboundBurst: number;
  /** How long a sent message is remembered, so a retried batch does not send it twice. */
  rememberSeconds: number;
}

/** Built from the settings once the schema has parsed and checked them. */
export function channelSettingsOf(raw: RawConfig): ChannelSettings {
  const settings: ChannelSettings = { outboundBurst: raw.OUTBOUND_BURST, rememberSeconds: raw.DEDUPE_TTL_HOURS * 3600 };
  if (raw.TELEGRAM_BOT_TOKEN) {
    settings.telegram = {
      token: raw.TELEGRAM_BOT_TOKEN,
      apiRoot: raw.TELEGRAM_API_ROOT,
      webhook:
        raw.TELEGRAM_WEBHOOK_URL && raw.TELEGRAM_WEBHOOK_SECRET
          ? { url: raw.TELEGRAM_WEBHOOK_URL, secret: raw.TELEGRAM_WEBHOOK_SECRET }
          : undefined,
      perSecond: raw.TELEGRAM_RATE_PER_S,
      perChatPerSecond: raw.TELEGRAM_CHAT_RATE_PER_S,
    };
  }
  const {
    WHATSAPP_CLOUD_ACCESS_TOKEN: accessToken,
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: phoneNumberId,
    WHATSAPP_CLOUD_APP_SECRET: appSecret,
    WHATSAPP_CLOUD_VERIFY_TOKEN: verifyToken,
  } = raw;
  if (accessToken && phoneNumberId && appSecret && verifyToken) {
    const [name, language] = raw.WHATSAPP_CLOUD_TEMPLATE?.split(':') ?? [];
    settings.whatsappCloud = {
      base: raw.WHATSAPP_API_BASE ?? DEFAULT_GRAPH_API_BASE,
      phoneNumberId,
      accessToken,
      appSecret,
      verifyToken,
      template: name && language ? { name, language } : undefined,
      maxMessageAgeMs: raw.WHATSAPP_MAX_MESSAGE_AGE_HOURS * 3_600_000,
      perSecond: raw.WHATSAPP_RATE_PER_S,
    };
  }
  if (raw.WHATSAPP_WEB_ENABLED) {
    settings.whatsappWeb = { dataDir: raw.DATA_DIR, chromiumPath: raw.CHROMIUM_PATH, perSecond: raw.WHATSAPP_WEB_RATE_PER_S };
  }
  if (raw.HTTP_CALLBACK_URL) {
    settings.httpCallback = { url: raw.HTTP_CALLBACK_URL, token: raw.HTTP_CHANNEL_TOKEN, perSecond: raw.HTTP_CALLBACK_RATE_PER_S };
  }
  return settings;
}
