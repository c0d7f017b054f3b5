import { createHmac } from 'node:crypto';
import type { DingTalkMarkdown } from './render';
import { delivered, failed, type SendResult } from './result';
import { apiUrl, errcodeReason, postRobot } from './robot-http';

/** A DingTalk group's custom robot: its access token, and its secret when 加签 (signed mode) is on. */
export interface DingTalkTarget {
  accessToken: string;
  secret?: string;
}

export interface DingTalkSenderOptions {
  baseUrl: string;
  timeoutMs: number;
  /** Milliseconds since the epoch, for the signature; DingTalk refuses one more than an hour off. */
  now?: () => number;
}

/** Sent too fast (more than 20 a minute per robot): try again later. */
export const DINGTALK_RATE_LIMITED = 130101;
/** DingTalk's "system busy". */
export const DINGTALK_BUSY = -1;

/**
 * DingTalk's signed mode: base64(HmacSHA256(key = secret, message = timestamp + "\n" + secret)).
 * The caller URL-encodes it as a query parameter.
 */
export function signDingTalk(timestamp: number, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
}

export class DingTalkSender {
  private readonly now: () => number;

  constructor(private readonly options: DingTalkSenderOptions) {
    this.now = options.now ?? Date.now;
  }

  async send(target: DingTalkTarget, message: DingTalkMarkdown): Promise<SendResult> {
    if (!target.accessToken) return failed(false, 'DingTalk robot without an access token');
    const url = apiUrl(this.options.baseUrl, '/robot/send');
    url.searchParams.set('access_token', target.accessToken);
    if (target.secret) {
      const timestamp = this.now();
      url.searchParams.set('timestamp', String(timestamp));
      url.searchParams.set('sign', signDingTalk(timestamp, target.secret));
    }
    return postRobot(url, message, this.options.timeoutMs, (answer) => {
      if (answer.errcode === 0) return delivered;
      const retryable = answer.errcode === DINGTALK_RATE_LIMITED || answer.errcode === DINGTALK_BUSY;
      // Everything else (bad token, bad signature, keyword or IP rules, a malformed message) comes
      // back the same on every retry: it needs someone to fix the robot's settings.
      return failed(retryable, `DingTalk ${errcodeReason(answer)}`);
    });
  }
}
