import type { WeComMessage } from './render';
import { delivered, failed, type SendResult } from './result';
import { apiUrl, errcodeReason, postRobot } from './robot-http';

/** A WeChat Work group robot, known by the key of its webhook address. */
export interface WeComTarget {
  key: string;
}

export interface WeComSenderOptions {
  baseUrl: string;
  timeoutMs: number;
}

/** API frequency out of limit (20 a minute per robot): try again later. */
export const WECOM_RATE_LIMITED = 45009;
/** WeCom's "system busy". */
export const WECOM_BUSY = -1;

export class WeComSender {
  constructor(private readonly options: WeComSenderOptions) {}

  async send(target: WeComTarget, message: WeComMessage): Promise<SendResult> {
    if (!target.key) return failed(false, 'WeCom robot without a key');
    const url = apiUrl(this.options.baseUrl, '/cgi-bin/webhook/send');
    url.searchParams.set('key', target.key);
    return postRobot(url, message, this.options.timeoutMs, (answer) => {
      if (answer.errcode === 0) return delivered;
      const retryable = answer.errcode === WECOM_RATE_LIMITED || answer.errcode === WECOM_BUSY;
      // An invalid key (93000), an empty or oversized message: the same on every retry.
      return failed(retryable, `WeCom ${errcodeReason(answer)}`);
    });
  }
}
