import type { DataSource } from 'typeorm';
import type { Environment } from '@app/config';
import { DingTalkSender, EmailSender, WeComSender } from '@app/notification-channels';
import {
  ChannelDispatcher,
  startDeliveryLoop,
  type ChannelDeliveryOptions,
  type OutboxDeliveryLoop,
} from '@app/webhook-delivery';

/**
 * The worker's delivery of alerts to people on DingTalk, WeCom and e-mail, configured from the
 * environment. Robots are always on (their base URLs have defaults); e-mail only with SMTP_URL, its
 * rows staying pending until then.
 */
export function startChannelDelivery(
  dataSource: DataSource,
  env: Environment,
  overrides: Partial<ChannelDeliveryOptions> & { pollIntervalMs?: number } = {},
  log: (line: Record<string, unknown>) => void = (line) => process.stdout.write(`${JSON.stringify(line)}\n`),
): OutboxDeliveryLoop {
  const email = env.SMTP_URL
    ? new EmailSender({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, timeoutMs: env.NOTIFY_TIMEOUT_MS })
    : undefined;
  const dispatcher = new ChannelDispatcher(dataSource, {
    senders: {
      dingtalk: new DingTalkSender({ baseUrl: env.DINGTALK_BASE_URL, timeoutMs: env.NOTIFY_TIMEOUT_MS }),
      wecom: new WeComSender({ baseUrl: env.WECOM_BASE_URL, timeoutMs: env.NOTIFY_TIMEOUT_MS }),
      email,
    },
    consoleUrl: env.CONSOLE_URL,
    maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
    ...overrides,
  });
  const loop = startDeliveryLoop(dispatcher, {
    pollIntervalMs: overrides.pollIntervalMs,
    onPass: (pass) => log({ level: pass.dead > 0 ? 'warn' : 'info', msg: 'channel deliveries', ...pass }),
    onError: (e) =>
      log({
        level: 'error',
        msg: 'channel delivery pass failed',
        err: e instanceof Error ? e.message : String(e),
      }),
  });
  log({ level: 'info', msg: 'channel delivery started', email: email !== undefined });
  return {
    wake: loop.wake,
    async stop() {
      await loop.stop();
      email?.close();
    },
  };
}
