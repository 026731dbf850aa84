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

/** Each configured channel's settings as one typed section; absent when it is not configured. */
export interface ChannelSettings {
  whatsappCloud?: WhatsAppCloudSettings;
}

/** The settings it reads, as the schema has parsed and checked them. */
interface ParsedChannelVariables {
  WHATSAPP_CLOUD_ACCESS_TOKEN?: string | undefined;
  WHATSAPP_CLOUD_PHONE_NUMBER_ID?: string | undefined;
  WHATSAPP_CLOUD_APP_SECRET?: string | undefined;
  WHATSAPP_CLOUD_VERIFY_TOKEN?: string | undefined;
  WHATSAPP_CLOUD_TEMPLATE?: string | undefined;
  WHATSAPP_API_BASE?: string | undefined;
  WHATSAPP_MAX_MESSAGE_AGE_HOURS: number;
  WHATSAPP_RATE_PER_S: number;
}

export function channelSettingsOf(raw: ParsedChannelVariables): ChannelSettings {
  const {
    WHATSAPP_CLOUD_ACCESS_TOKEN: accessToken,
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: phoneNumberId,
    WHATSAPP_CLOUD_APP_SECRET: appSecret,
    WHATSAPP_CLOUD_VERIFY_TOKEN: verifyToken,
  } = raw;
  if (!accessToken || !phoneNumberId || !appSecret || !verifyToken) return {};
  const [name, language] = raw.WHATSAPP_CLOUD_TEMPLATE?.split(':') ?? [];
  return {
    whatsappCloud: {
      base: raw.WHATSAPP_API_BASE ?? DEFAULT_GRAPH_API_BASE,
      phoneNumberId,
      accessToken,
      appSecret,
      verifyToken,
      template: name && language ? { name, language } : undefined,
      maxMessageAgeMs: raw.WHATSAPP_MAX_MESSAGE_AGE_HOURS * 3_600_000,
      perSecond: raw.WHATSAPP_RATE_PER_S,
    },
  };
}
