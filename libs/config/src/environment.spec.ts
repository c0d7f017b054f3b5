import { ConfigurationError, loadEnvironment } from './environment';

/** An Ed25519 key as an operator would set it in one environment variable, newlines escaped. */
const PRODUCTION_AUDIT_KEY =
  '-----BEGIN PRIVATE KEY-----\\nMC4CAQAwBQYDK2VwBCIEIAkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJ\\n-----END PRIVATE KEY-----\\n';

describe('loadEnvironment', () => {
  it('gives the documented defaults when nothing is set', () => {
    const env = loadEnvironment({});
    expect(env.API_PORT).toBe(3000);
    expect(env.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(env.TEMPORAL_TASK_QUEUE).toBe('project-lifecycle');
    expect(env.NODE_ENV).toBe('development');
  });

  it('converts numbers from strings', () => {
    expect(loadEnvironment({ API_PORT: '8081' }).API_PORT).toBe(8081);
  });

  it('names the variable and the rule when a value is bad', () => {
    expect(() => loadEnvironment({ API_PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(
      ConfigurationError,
    );
    // One error names every bad variable, each with its value and its rule.
    const outOfRange = () => loadEnvironment({ API_PORT: '70000', DATABASE_URL: 'mysql://x' });
    expect(outOfRange).toThrow(ConfigurationError);
    expect(outOfRange).toThrow('API_PORT="70000"');
    expect(outOfRange).toThrow(
      'DATABASE_URL="mysql://x": DATABASE_URL must be a postgres:// connection string',
    );
  });

  it('refuses the development JWT secret in production', () => {
    expect(() => loadEnvironment({ NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET: the development default is refused/,
    );
    expect(
      loadEnvironment({
        NODE_ENV: 'production',
        JWT_SECRET: 'a-production-secret-of-length',
        AUDIT_SIGNING_KEY: PRODUCTION_AUDIT_KEY,
      }).NODE_ENV,
    ).toBe('production');
  });

  it('refuses the development audit signing key in production, and reads a key written on one line', () => {
    expect(() =>
      loadEnvironment({ NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-length' }),
    ).toThrow(/AUDIT_SIGNING_KEY: the development default is refused/);
    const env = loadEnvironment({ AUDIT_SIGNING_KEY: PRODUCTION_AUDIT_KEY });
    expect(env.AUDIT_SIGNING_KEY.split('\n')[0]).toBe('-----BEGIN PRIVATE KEY-----');
    expect(() => loadEnvironment({ AUDIT_SIGNING_KEY: 'not a key' })).toThrow(
      /AUDIT_SIGNING_KEY must be a PKCS#8 PEM/,
    );
  });

  it('caps bearer tokens at JWT_MAX_LIFETIME_HOURS (24) and bounds the idempotency waits', () => {
    const defaults = loadEnvironment({});
    expect(defaults.JWT_MAX_LIFETIME_HOURS).toBe(24);
    expect(defaults.IDEMPOTENCY_STALE_CLAIM_SECONDS).toBe(300);
    expect(defaults.IDEMPOTENCY_WAIT_MS).toBe(5000);
    const env = loadEnvironment({
      JWT_MAX_LIFETIME_HOURS: '8',
      IDEMPOTENCY_STALE_CLAIM_SECONDS: '120',
      IDEMPOTENCY_WAIT_MS: '0',
    });
    expect([
      env.JWT_MAX_LIFETIME_HOURS,
      env.IDEMPOTENCY_STALE_CLAIM_SECONDS,
      env.IDEMPOTENCY_WAIT_MS,
    ]).toEqual([8, 120, 0]);
    expect(() => loadEnvironment({ JWT_MAX_LIFETIME_HOURS: '0' })).toThrow(/JWT_MAX_LIFETIME_HOURS="0"/);
    expect(() => loadEnvironment({ JWT_MAX_LIFETIME_HOURS: 'forever' })).toThrow(/JWT_MAX_LIFETIME_HOURS/);
    expect(() => loadEnvironment({ IDEMPOTENCY_STALE_CLAIM_SECONDS: '0' })).toThrow(
      /IDEMPOTENCY_STALE_CLAIM_SECONDS="0"/,
    );
  });

  it('reads the webhook settings, with no delivery by default', () => {
    const defaults = loadEnvironment({});
    expect(defaults.WEBHOOK_URLS).toEqual([]);
    expect(defaults.WEBHOOK_MAX_ATTEMPTS).toBe(8);
    expect(defaults.WEBHOOK_TIMEOUT_MS).toBe(5000);
    const env = loadEnvironment({
      WEBHOOK_URLS: ' https://hooks.example.gov.cn/alerts , http://127.0.0.1:8080/hook,',
      WEBHOOK_MAX_ATTEMPTS: '3',
      WEBHOOK_TIMEOUT_MS: '2500',
    });
    expect(env.WEBHOOK_URLS).toEqual(['https://hooks.example.gov.cn/alerts', 'http://127.0.0.1:8080/hook']);
    expect(env.WEBHOOK_MAX_ATTEMPTS).toBe(3);
    expect(env.WEBHOOK_TIMEOUT_MS).toBe(2500);
  });

  it('refuses webhook URLs that are not http(s) and bad limits', () => {
    expect(() => loadEnvironment({ WEBHOOK_URLS: 'https://ok.example/hook,ftp://files.example/x' })).toThrow(
      /WEBHOOK_URLS=.*must be comma-separated http\(s\) URLs/,
    );
    expect(() => loadEnvironment({ WEBHOOK_MAX_ATTEMPTS: '0' })).toThrow(/WEBHOOK_MAX_ATTEMPTS="0"/);
    expect(() => loadEnvironment({ WEBHOOK_TIMEOUT_MS: 'soon' })).toThrow(/WEBHOOK_TIMEOUT_MS="soon"/);
    expect(() => loadEnvironment({ WEBHOOK_SECRET: 'short' })).toThrow(/WEBHOOK_SECRET must be at least 16/);
  });

  it("reads the notification channel settings, with the vendors' hosts and no mail server by default", () => {
    const defaults = loadEnvironment({});
    expect(defaults.DINGTALK_BASE_URL).toBe('https://oapi.dingtalk.com');
    expect(defaults.WECOM_BASE_URL).toBe('https://qyapi.weixin.qq.com');
    expect(defaults.SMTP_URL).toBeUndefined();
    expect(defaults.MAIL_FROM).toBe('招商项目管理 <noreply@localhost>');
    expect(defaults.NOTIFY_TIMEOUT_MS).toBe(5000);
    const env = loadEnvironment({
      DINGTALK_BASE_URL: 'http://127.0.0.1:9001',
      WECOM_BASE_URL: 'http://localhost:9002/',
      SMTP_URL: 'smtps://alerts:pa55@mail.example.gov.cn:465',
      MAIL_FROM: 'alerts@example.gov.cn',
      NOTIFY_TIMEOUT_MS: '2500',
    });
    expect([
      env.DINGTALK_BASE_URL,
      env.WECOM_BASE_URL,
      env.SMTP_URL,
      env.MAIL_FROM,
      env.NOTIFY_TIMEOUT_MS,
    ]).toEqual([
      'http://127.0.0.1:9001',
      'http://localhost:9002/',
      'smtps://alerts:pa55@mail.example.gov.cn:465',
      'alerts@example.gov.cn',
      2500,
    ]);
  });

  it('refuses bad notification channel settings, naming the variable', () => {
    expect(() => loadEnvironment({ DINGTALK_BASE_URL: 'oapi.dingtalk.com' })).toThrow(
      /DINGTALK_BASE_URL=.*must be an http\(s\) URL/,
    );
    expect(() => loadEnvironment({ WECOM_BASE_URL: 'ftp://qyapi.weixin.qq.com' })).toThrow(/WECOM_BASE_URL=/);
    expect(() => loadEnvironment({ SMTP_URL: 'http://mail.example' })).toThrow(
      /SMTP_URL must be an smtp:\/\//,
    );
    expect(() => loadEnvironment({ MAIL_FROM: '招商项目管理' })).toThrow(/MAIL_FROM must be an address/);
    expect(() => loadEnvironment({ NOTIFY_TIMEOUT_MS: '10' })).toThrow(/NOTIFY_TIMEOUT_MS="10"/);
  });

  it('requires a webhook secret of its own in production once URLs are set', () => {
    const production = {
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-secret-of-length',
      AUDIT_SIGNING_KEY: PRODUCTION_AUDIT_KEY,
    };
    expect(loadEnvironment(production).WEBHOOK_URLS).toEqual([]);
    expect(() => loadEnvironment({ ...production, WEBHOOK_URLS: 'https://hooks.example/a' })).toThrow(
      /WEBHOOK_SECRET: required when WEBHOOK_URLS is set/,
    );
    expect(
      loadEnvironment({
        ...production,
        WEBHOOK_URLS: 'https://hooks.example/a',
        WEBHOOK_SECRET: 'a-webhook-secret-of-length',
      }).WEBHOOK_SECRET,
    ).toBe('a-webhook-secret-of-length');
  });
  it('keeps files in PostgreSQL unless FILE_STORE=s3, which needs a bucket and both keys or neither', () => {
    const defaults = loadEnvironment({});
    expect(defaults.FILE_STORE).toBe('postgres');
    expect(defaults.S3_FORCE_PATH_STYLE).toBe(false);
    expect(defaults.S3_REGION).toBe('us-east-1');
    const s3 = loadEnvironment({
      FILE_STORE: 's3',
      S3_ENDPOINT: 'http://127.0.0.1:8333',
      S3_BUCKET: 'evidence-files',
      S3_ACCESS_KEY_ID: 'lifecycle',
      S3_SECRET_ACCESS_KEY: 'a-secret',
      S3_FORCE_PATH_STYLE: 'true',
    });
    expect(s3).toMatchObject({ FILE_STORE: 's3', S3_BUCKET: 'evidence-files', S3_FORCE_PATH_STYLE: true });
    expect(() => loadEnvironment({ FILE_STORE: 's3' })).toThrow('S3_BUCKET: required when FILE_STORE=s3');
    expect(() => loadEnvironment({ FILE_STORE: 'disk' })).toThrow('FILE_STORE="disk"');
    expect(() => loadEnvironment({ S3_ENDPOINT: 'ftp://x' })).toThrow('S3_ENDPOINT must be an http(s) URL');
    expect(() => loadEnvironment({ S3_BUCKET: 'Evidence_Files' })).toThrow('S3_BUCKET must be a bucket name');
    expect(() => loadEnvironment({ S3_FORCE_PATH_STYLE: 'yes' })).toThrow(
      'S3_FORCE_PATH_STYLE must be true or false',
    );
    expect(() => loadEnvironment({ FILE_STORE: 's3', S3_BUCKET: 'evidence', S3_ACCESS_KEY_ID: 'k' })).toThrow(
      'S3_SECRET_ACCESS_KEY: set with S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY both, or neither',
    );
  });
});
