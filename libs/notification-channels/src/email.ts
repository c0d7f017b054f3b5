import { createTransport, type Transporter } from 'nodemailer';
import type { EmailMessage } from './render';
import { delivered, failed, type SendResult } from './result';

export interface EmailTarget {
  to: string[];
}

export interface EmailSenderOptions {
  /** smtp:// or smtps://, with user and password inline if the server wants them. */
  smtpUrl: string;
  from: string;
  timeoutMs: number;
}

/** Connection-level failures nodemailer reports: the server may answer next time. */
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROTOCOL']);

/** E-mail over SMTP: one connection per mail, plain text and HTML, UTF-8 throughout. */
export class EmailSender {
  private readonly transport: Transporter;

  constructor(private readonly options: EmailSenderOptions) {
    this.transport = createTransport({
      url: options.smtpUrl,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
      // nodemailer logs nothing unless told; it is never told, so the URL's password stays out of logs.
      logger: false,
    });
  }

  async send(target: EmailTarget, message: EmailMessage): Promise<SendResult> {
    const to = target.to.map((address) => address.trim()).filter((address) => address !== '');
    if (to.length === 0) return failed(false, 'no recipient address');
    try {
      await this.transport.sendMail({
        from: this.options.from,
        to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        textEncoding: 'base64',
      });
      return delivered;
    } catch (error) {
      return classifySmtpError(error, this.secrets());
    }
  }

  /** The URL's user and password, kept out of reasons whatever a server or nodemailer echoes. */
  private secrets(): string[] {
    try {
      const url = new URL(this.options.smtpUrl);
      return [url.password, decodeURIComponent(url.password)].filter((secret) => secret.length >= 3);
    } catch {
      return [];
    }
  }

  close(): void {
    this.transport.close();
  }
}

export function classifySmtpError(error: unknown, secrets: readonly string[] = []): SendResult {
  const { code, responseCode, message } = (error ?? {}) as {
    code?: unknown;
    responseCode?: unknown;
    message?: unknown;
  };
  const said = typeof message === 'string' ? message : 'no error message';
  const text = secrets.reduce((t, secret) => t.split(secret).join('***'), said).slice(0, 200);
  // 4xx is the server's "not now" (greylisting, a full queue); 5xx is a refusal that will repeat.
  if (typeof responseCode === 'number') return failed(responseCode < 500, `SMTP ${responseCode}: ${text}`);
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return failed(true, `SMTP ${code}: ${text}`);
  return failed(false, `SMTP${typeof code === 'string' ? ` ${code}` : ''}: ${text}`);
}
