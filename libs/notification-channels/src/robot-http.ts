import { failed, type SendResult } from './result';

/** The answer of DingTalk's and WeCom's robot APIs: HTTP 200 with an errcode, 0 meaning sent. */
interface RobotAnswer {
  errcode: number;
  errmsg?: string;
}

/**
 * POSTs a robot message and reads the vendor's answer. The URL carries the robot's token (and
 * DingTalk's signature): it is never put into a reason, which ends up in logs and admin screens.
 */
export async function postRobot(
  url: URL,
  body: unknown,
  timeoutMs: number,
  classify: (answer: RobotAnswer) => SendResult,
): Promise<SendResult> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    return failed(true, networkReason(error, timeoutMs));
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    return failed(true, networkReason(error, timeoutMs));
  }
  if (response.status >= 500 || response.status === 429) return failed(true, `HTTP ${response.status}`);
  if (response.status !== 200) return failed(false, `HTTP ${response.status}`);
  const answer = parseAnswer(text);
  // A 200 that is not the vendor's JSON comes from something in between (a proxy, a portal): try later.
  if (!answer) return failed(true, 'HTTP 200 without an errcode');
  return classify(answer);
}

function parseAnswer(text: string): RobotAnswer | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const { errcode, errmsg } = value as Record<string, unknown>;
    if (typeof errcode !== 'number') return undefined;
    return { errcode, errmsg: typeof errmsg === 'string' ? errmsg : undefined };
  } catch {
    return undefined;
  }
}

function networkReason(error: unknown, timeoutMs: number): string {
  // Read by shape, not instanceof: fetch's DOMException and errors from another realm are not Errors here.
  const { name, cause } = (error ?? {}) as { name?: unknown; cause?: { code?: unknown } };
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  return typeof cause?.code === 'string' ? `network error ${cause.code}` : 'network error';
}

export function errcodeReason(answer: RobotAnswer): string {
  return `errcode ${answer.errcode}${answer.errmsg ? `: ${answer.errmsg.slice(0, 200)}` : ''}`;
}

/** A base URL with its path kept (a gateway may mount the API under one) and the API path added. */
export function apiUrl(baseUrl: string, path: string): URL {
  return new URL(`${baseUrl.replace(/\/+$/, '')}${path}`);
}
