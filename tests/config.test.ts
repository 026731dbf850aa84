import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GRAPH_API_BASE } from '../src/config/channel-settings.ts';
import { SHIPPED_CONTENT } from '../src/config/content-paths.ts';
import { ConfigError, loadConfig } from '../src/config/load-config.ts';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('runs on defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.redisUrlWasSet).toBe(false);
    expect(config.PORT).toBe(3000);
    expect(config.LOG_MESSAGES).toBe(false);
    expect(config.HTTP_CHANNEL_TOKEN).toBeUndefined();
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig({ REDIS_URL: '', PORT: '' });
    expect(config.redisUrlWasSet).toBe(false);
    expect(config.PORT).toBe(3000);
  });

  it('reads set values', () => {
    const config = loadConfig({
      REDIS_URL: 'redis://redis:6379',
      PORT: '8080',
      LOG_MESSAGES: '1',
      HTTP_CALLBACK_URL: 'https://partner.example/cb',
    });
    expect(config).toMatchObject({ REDIS_URL: 'redis://redis:6379', redisUrlWasSet: true, PORT: 8080, LOG_MESSAGES: true });
  });

  it('gives the WhatsApp Cloud API one typed section, present only with all four of its settings', () => {
    const cloud = {
      WHATSAPP_CLOUD_ACCESS_TOKEN: 'EAAG-x',
      WHATSAPP_CLOUD_PHONE_NUMBER_ID: '1098765',
      WHATSAPP_CLOUD_APP_SECRET: 'secret',
      WHATSAPP_CLOUD_VERIFY_TOKEN: 'verify',
    };
    expect(loadConfig({}).channels).toEqual({ outboundBurst: 3, rememberSeconds: 72 * 3600 });
    expect(loadConfig({ ...cloud, WHATSAPP_CLOUD_TEMPLATE: 'pelita_followup:id' }).channels.whatsappCloud).toEqual({
      base: DEFAULT_GRAPH_API_BASE,
      phoneNumberId: '1098765',
      accessToken: 'EAAG-x',
      appSecret: 'secret',
      verifyToken: 'verify',
      template: { name: 'pelita_followup', language: 'id' },
      maxMessageAgeMs: 24 * 3_600_000,
      perSecond: 80,
    });
    const { WHATSAPP_CLOUD_VERIFY_TOKEN: _left, ...three } = cloud;
    expect(problemsOf(three)).toEqual([expect.stringMatching(/^WHATSAPP_CLOUD_VERIFY_TOKEN: required with .* all four/)]);
  });

  it('gives Telegram, WhatsApp Web and the HTTP callback a section each when configured', () => {
    const { channels } = loadConfig({
      TELEGRAM_BOT_TOKEN: '123456:ABC-def',
      TELEGRAM_WEBHOOK_URL: 'https://pelita.example.org/webhooks/telegram',
      TELEGRAM_WEBHOOK_SECRET: 'hook-secret-0123456789',
      WHATSAPP_WEB_ENABLED: '1',
      HTTP_CALLBACK_URL: 'https://partner.example.org/replies',
      HTTP_CHANNEL_TOKEN: 'partner-token-0123456789',
    });
    expect(channels.telegram).toEqual({
      token: '123456:ABC-def',
      apiRoot: undefined,
      webhook: { url: 'https://pelita.example.org/webhooks/telegram', secret: 'hook-secret-0123456789' },
      perSecond: 30,
      perChatPerSecond: 1,
    });
    expect(channels.whatsappWeb).toEqual({ dataDir: '.pelita', chromiumPath: '/usr/bin/chromium', perSecond: 5 });
    expect(channels.httpCallback).toEqual({ url: 'https://partner.example.org/replies', token: 'partner-token-0123456789', perSecond: 0 });
    expect(channels.whatsappCloud).toBeUndefined();
  });

  it('reads the content folders from the environment it is given, not the process', () => {
    expect(loadConfig({}).content).toEqual(SHIPPED_CONTENT);
    const content = loadConfig({ PELITA_FLOWS_DIR: '/srv/ngo/flows', PELITA_NLU_DIR: 'ngo-nlu' }).content;
    expect(content.flows).toBe('/srv/ngo/flows');
    expect(content.nlu).toBe(path.resolve('ngo-nlu'));
    expect(content.locales).toBe(SHIPPED_CONTENT.locales);
  });

  it('reports every bad value on its own line, naming the variable and the value', () => {
    const problems = problemsOf({ PORT: 'eighty', REDIS_URL: 'localhost:6379', LOG_MESSAGES: 'maybe', HTTP_CALLBACK_URL: 'ftp://x' });
    expect(problems).toHaveLength(4);
    expect(problems.find((line) => line.startsWith('PORT:'))).toMatch(/whole number.*"eighty"/);
    expect(problems.find((line) => line.startsWith('REDIS_URL:'))).toMatch(/redis:\/\//);
    expect(problems.find((line) => line.startsWith('LOG_MESSAGES:'))).toMatch(/1 or 0/);
    expect(problems.find((line) => line.startsWith('HTTP_CALLBACK_URL:'))).toMatch(/http/);
  });

  it('refuses out-of-range numbers', () => {
    expect(problemsOf({ PORT: '70000' })[0]).toMatch(/^PORT: expected a whole number from 0 to 65535/);
    expect(problemsOf({ WORKER_CONCURRENCY: '0' })[0]).toMatch(/^WORKER_CONCURRENCY:/);
  });
});
