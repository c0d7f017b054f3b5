import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { DEFAULT_DUPLICATE_WINDOW_DAYS } from '@app/domain';
import { BATCH_DATABASE_TIMEOUTS, INTERACTIVE_DATABASE_TIMEOUTS } from './database-timeouts';

/** Only for local use; start-up fails if it is left in place with NODE_ENV=production. */
export const DEVELOPMENT_JWT_SECRET = 'development-only-secret-change-me';
/** Only for local use (an Ed25519 key from a fixed seed); refused with NODE_ENV=production. */
export const DEVELOPMENT_AUDIT_SIGNING_KEY =
  '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH\n-----END PRIVATE KEY-----\n';
/** Only for local use; refused with NODE_ENV=production when WEBHOOK_URLS is set. */
export const DEVELOPMENT_WEBHOOK_SECRET = 'development-only-webhook-secret';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '')
    : value;

/**
 * Every configuration variable the API and the worker read, with its default.
 * Validated once at start-up: a bad value stops the process with a message naming the variable.
 */
export class Environment {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IsString()
  @IsNotEmpty()
  API_HOST = '127.0.0.1';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  API_PORT = 3000;

  /** PostgreSQL connection string; the quick start points it at the embedded server. */
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// connection string' })
  DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:54329/lifecycle';

  /**
   * The connection the API and the worker work through, as a member of the `lifecycle_app` role
   * (SELECT and INSERT only on the event log; no ownership, so no DISABLE TRIGGER). DATABASE_URL, the
   * owner, then only runs the migrations. Unset: the owner does both (the quick start sets it).
   */
  @IsOptional()
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_APP_URL must be a postgres:// connection string' })
  DATABASE_APP_URL?: string = undefined;

  @IsString()
  @Matches(/^[^:\s]+:\d+$/, { message: 'TEMPORAL_ADDRESS must be host:port' })
  TEMPORAL_ADDRESS = '127.0.0.1:7233';

  @IsString()
  @IsNotEmpty()
  TEMPORAL_NAMESPACE = 'default';

  @IsString()
  @IsNotEmpty()
  TEMPORAL_TASK_QUEUE = 'project-lifecycle';

  /**
   * How long the API waits for a project's workflow to answer a command. Past it the caller gets 503
   * with Retry-After; the same Idempotency-Key sent again gets the command's real outcome, once.
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  COMMAND_TIMEOUT_MS = 5000;

  /** How long POST /reviews waits for the review before answering 202 with Location (it goes on). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(120_000)
  REVIEW_WAIT_MS = 10_000;

  /** The largest ledger (台账) file POST /imports takes; past it the upload is refused with 413. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(200 * 1024 * 1024)
  IMPORT_MAX_FILE_BYTES = 20 * 1024 * 1024;

  /** The largest evidence file POST /files takes (streamed, never held whole); past it 413. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(4 * 1024 * 1024 * 1024)
  FILE_MAX_BYTES = 256 * 1024 * 1024;

  /** The most evidence one command may carry, all its files together; past it 413 naming `files`. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(16 * 1024 * 1024 * 1024)
  FILE_MAX_BYTES_PER_COMMAND = 512 * 1024 * 1024;

  /** Where evidence file contents are kept: PostgreSQL (the quick start), or an S3-compatible bucket. */
  @IsIn(['postgres', 's3'])
  FILE_STORE: 'postgres' | 's3' = 'postgres';

  /** The object store's URL (SeaweedFS, MinIO, Ceph…); unset, AWS's own endpoint for S3_REGION. */
  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'S3_ENDPOINT must be an http(s) URL' },
  )
  S3_ENDPOINT?: string = undefined;

  @IsString()
  @Matches(/^[a-z0-9-]+$/, { message: 'S3_REGION must be a region name such as us-east-1' })
  S3_REGION = 'us-east-1';

  /** The bucket contents go to, one object per SHA-256; required with FILE_STORE=s3. */
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
    message: 'S3_BUCKET must be a bucket name (3 to 63 lower-case letters, digits, dots and hyphens)',
  })
  S3_BUCKET?: string = undefined;

  /** Both or neither; neither, the SDK's own chain (instance role, ~/.aws) finds the credentials. */
  @IsOptional()
  @IsString()
  S3_ACCESS_KEY_ID?: string = undefined;

  @IsOptional()
  @IsString()
  S3_SECRET_ACCESS_KEY?: string = undefined;

  /** Bucket in the path (http://host/bucket/key), as most self-hosted servers want, not in the host name. */
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'S3_FORCE_PATH_STYLE must be true or false' })
  S3_FORCE_PATH_STYLE = false;

  /**
   * How many days apart two projects of the same investor, with similar names in one region, may
   * be dated (contract date, else lead date) and still be flagged as the same project counted twice.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3660)
  DUPLICATE_WINDOW_DAYS = DEFAULT_DUPLICATE_WINDOW_DAYS;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** HS256 secret that signs bearer tokens. The development default is refused in production. */
  @IsString()
  @MinLength(16, { message: 'JWT_SECRET must be at least 16 characters' })
  JWT_SECRET = DEVELOPMENT_JWT_SECRET;

  /** The longest a bearer token may live (exp − iat); a token without exp is refused. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(8760)
  JWT_MAX_LIFETIME_HOURS = 24;

  /**
   * A request holding an Idempotency-Key this long without answering is taken to have crashed, and
   * the same request may take its claim over. Far longer than any write takes (Updates have their
   * own deadline of seconds); short enough that a client retrying after a crash is not kept waiting.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  IDEMPOTENCY_STALE_CLAIM_SECONDS = 300;

  /** How long a repeat of a write still running waits for its answer before a 409 with Retry-After. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60000)
  IDEMPOTENCY_WAIT_MS = 5000;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  /** Opening a PostgreSQL connection or waiting for a free one; past it the API answers 503. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600000)
  DATABASE_CONNECT_TIMEOUT_MS = INTERACTIVE_DATABASE_TIMEOUTS.connectMs;

  /** One statement of a request or a project activity (server-side, and client-side a second later). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3600000)
  DATABASE_STATEMENT_TIMEOUT_MS = INTERACTIVE_DATABASE_TIMEOUTS.statementMs;

  /** A transaction idle this long has its session ended by the server, releasing its locks. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3600000)
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS = INTERACTIVE_DATABASE_TIMEOUTS.idleInTransactionMs;

  /** One statement of the 回头看 (its own pool in the worker), which reads the whole read model. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(86400000)
  DATABASE_BATCH_STATEMENT_TIMEOUT_MS = BATCH_DATABASE_TIMEOUTS.statementMs;

  /**
   * Ed25519 private key (PKCS#8 PEM; literal \n accepted) that signs the chain-head checkpoints auditors
   * export. The development default is refused in production.
   */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.replace(/\\n/g, '\n') : value,
  )
  @Matches(/^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n?$/, {
    message: 'AUDIT_SIGNING_KEY must be a PKCS#8 PEM private key',
  })
  AUDIT_SIGNING_KEY = DEVELOPMENT_AUDIT_SIGNING_KEY;

  /** How often the worker checkpoints every chain head; 0 turns it off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10080)
  AUDIT_CHECKPOINT_INTERVAL_MINUTES = 60;

  /** The quarterly 回头看 runs on this day of the month after each quarter ends, at this hour. */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value !== 'false' : value))
  REVIEW_SCHEDULE_ENABLED = true;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(28)
  REVIEW_SCHEDULE_DAY_OF_MONTH = 1;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(23)
  REVIEW_SCHEDULE_HOUR = 2;

  /** An IANA time zone; the quarter ends by the calendar of the bureau that reviews it. */
  @IsString()
  @Matches(/^[A-Za-z_]+(\/[A-Za-z_+-]+)*$/, { message: 'REVIEW_SCHEDULE_TIMEZONE must be an IANA zone name' })
  REVIEW_SCHEDULE_TIMEZONE = 'Asia/Shanghai';

  /** The morning digest's time of day (HH:MM, 24-hour), every working day, in DIGEST_TIMEZONE. */
  @IsString()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, {
    message: 'DIGEST_TIME must be a time of day as HH:MM (00:00 to 23:59)',
  })
  DIGEST_TIME = '08:30';

  /** An IANA time zone: the morning the digest is read in. */
  @IsString()
  @Matches(/^[A-Za-z_]+(\/[A-Za-z_+-]+)*$/, { message: 'DIGEST_TIMEZONE must be an IANA zone name' })
  DIGEST_TIMEZONE = 'Asia/Shanghai';

  /** Where the worker POSTs alerts and escalations from the outbox; none means no delivery. */
  @Transform(toList)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { each: true, message: 'WEBHOOK_URLS must be comma-separated http(s) URLs' },
  )
  WEBHOOK_URLS: string[] = [];

  /** HMAC-SHA256 key for X-Signature-256. The development default is refused in production. */
  @IsString()
  @MinLength(16, { message: 'WEBHOOK_SECRET must be at least 16 characters' })
  WEBHOOK_SECRET = DEVELOPMENT_WEBHOOK_SECRET;

  /** Attempts before a delivery is set aside as dead. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  WEBHOOK_MAX_ATTEMPTS = 8;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120000)
  WEBHOOK_TIMEOUT_MS = 5000;

  /** DingTalk's open API, where group robots are posted to; pointed at a local receiver in tests. */
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'DINGTALK_BASE_URL must be an http(s) URL' },
  )
  DINGTALK_BASE_URL = 'https://oapi.dingtalk.com';

  /** WeChat Work's API, where group robots are posted to; pointed at a local receiver in tests. */
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'WECOM_BASE_URL must be an http(s) URL' },
  )
  WECOM_BASE_URL = 'https://qyapi.weixin.qq.com';

  /** The mail server alerts are sent through (smtp:// or smtps://, credentials inline); none, no e-mail. */
  @IsOptional()
  @IsString()
  @Matches(/^smtps?:\/\/[^\s]+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string = undefined;

  /** The From of every alert mail: a display name and an address. */
  @IsString()
  @Matches(/^[^<>]*<[^<>\s@]+@[^<>\s@]+>$|^[^<>\s@]+@[^<>\s@]+$/, {
    message: 'MAIL_FROM must be an address, or a name followed by <address>',
  })
  MAIL_FROM = '招商项目管理 <noreply@localhost>';

  /** How long one DingTalk, WeCom or SMTP delivery may take before it counts as failed and retryable. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120000)
  NOTIFY_TIMEOUT_MS = 5000;

  /** The officers' console as its readers open it: the project link in every alert message. */
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'CONSOLE_URL must be an http(s) URL' },
  )
  CONSOLE_URL = 'http://localhost:3000';
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigurationError';
  }
}

/** Reads and validates the environment; throws ConfigurationError naming each bad variable. */
export function loadEnvironment(source: Record<string, string | undefined> = process.env): Environment {
  const known = Object.keys(new Environment());
  const plain: Record<string, string> = {};
  for (const key of known) {
    const value = source[key];
    if (value !== undefined && value !== '') plain[key] = value;
  }
  const env = plainToInstance(Environment, plain, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: false });
  const problems = errors.map(
    (e) =>
      `${e.property}=${JSON.stringify(plain[e.property] ?? null)}: ${Object.values(e.constraints ?? {}).join('; ')}`,
  );
  if (env.NODE_ENV === 'production' && env.JWT_SECRET === DEVELOPMENT_JWT_SECRET) {
    problems.push(
      'JWT_SECRET: the development default is refused when NODE_ENV=production; set a secret of your own',
    );
  }
  if (
    env.NODE_ENV === 'production' &&
    env.WEBHOOK_URLS.length > 0 &&
    env.WEBHOOK_SECRET === DEVELOPMENT_WEBHOOK_SECRET
  ) {
    problems.push(
      'WEBHOOK_SECRET: required when WEBHOOK_URLS is set with NODE_ENV=production; the development default is refused',
    );
  }
  if (env.NODE_ENV === 'production' && env.AUDIT_SIGNING_KEY === DEVELOPMENT_AUDIT_SIGNING_KEY) {
    problems.push(
      'AUDIT_SIGNING_KEY: the development default is refused when NODE_ENV=production; generate an Ed25519 key',
    );
  }
  if (env.FILE_STORE === 's3' && env.S3_BUCKET === undefined) {
    problems.push('S3_BUCKET: required when FILE_STORE=s3');
  }
  if ((env.S3_ACCESS_KEY_ID === undefined) !== (env.S3_SECRET_ACCESS_KEY === undefined)) {
    problems.push(
      `${env.S3_ACCESS_KEY_ID === undefined ? 'S3_ACCESS_KEY_ID' : 'S3_SECRET_ACCESS_KEY'}: ` +
        'set with S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY both, or neither',
    );
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return env;
}
