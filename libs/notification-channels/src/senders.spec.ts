import { signDingTalk } from './dingtalk';
import { classifySmtpError } from './email';

describe('signDingTalk', () => {
  it('matches HmacSHA256(secret, timestamp + "\\n" + secret) in base64, as DingTalk documents it', () => {
    // Computed independently with Python's hmac and base64 modules.
    expect(signDingTalk(1764662400000, 'SEC0123456789abcdef')).toBe(
      'mvejO7nSWE3FqdHHOr0FhDJpVIFYfRUf/IYErn5LZqY=',
    );
  });

  it('URL-encodes to what DingTalk expects in the query once put in URLSearchParams', () => {
    const params = new URLSearchParams({ sign: signDingTalk(1764662400000, 'SEC0123456789abcdef') });
    expect(params.toString()).toBe('sign=mvejO7nSWE3FqdHHOr0FhDJpVIFYfRUf%2FIYErn5LZqY%3D');
  });
});

describe('classifySmtpError', () => {
  it('retries what the server answers with 4xx and not what it refuses with 5xx', () => {
    expect(classifySmtpError({ code: 'EENVELOPE', responseCode: 451, message: 'try later' })).toEqual({
      ok: false,
      retryable: true,
      reason: 'SMTP 451: try later',
    });
    expect(classifySmtpError({ code: 'EAUTH', responseCode: 535, message: 'Invalid login' })).toMatchObject({
      retryable: false,
    });
  });

  it('keeps the SMTP password out of the reason even when the error echoes it', () => {
    const result = classifySmtpError(
      { code: 'EAUTH', responseCode: 535, message: 'login alerts/pa55w0rd refused' },
      ['pa55w0rd'],
    );
    expect(result).toEqual({ ok: false, retryable: false, reason: 'SMTP 535: login alerts/*** refused' });
  });

  it('retries connection failures and refuses the rest', () => {
    expect(classifySmtpError({ code: 'ECONNECTION', message: 'connect ECONNREFUSED' })).toMatchObject({
      retryable: true,
    });
    expect(classifySmtpError({ code: 'ETIMEDOUT', message: 'Greeting never received' })).toMatchObject({
      retryable: true,
    });
    expect(classifySmtpError({ code: 'EENVELOPE', message: 'No recipients defined' })).toMatchObject({
      retryable: false,
    });
    expect(classifySmtpError(undefined)).toEqual({
      ok: false,
      retryable: false,
      reason: 'SMTP: no error message',
    });
  });
});
