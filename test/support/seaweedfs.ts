import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3FileStoreSettings } from '../../libs/file-store/src';
import { repoRoot, toolCacheDir } from '../../libs/local-stack/src/tools';

/** Where scripts/install-seaweedfs.sh builds `weed`: named by SEAWEEDFS_VERSION in tools/versions.env. */
export function weedPath(): string {
  if (process.env.SEAWEEDFS_WEED_PATH) return process.env.SEAWEEDFS_WEED_PATH;
  const versions = readFileSync(join(repoRoot(), 'tools', 'versions.env'), 'utf8');
  const version = /^SEAWEEDFS_VERSION=(.+)$/m.exec(versions)?.[1].trim();
  if (!version) throw new Error('tools/versions.env has no SEAWEEDFS_VERSION');
  return join(toolCacheDir(), `seaweedfs-${version}`, 'weed');
}

/** A port nobody listens on now (the OS's choice), for one of weed's servers. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface SeaweedS3 {
  /** The variables that point the file store at this server's bucket, as an operator sets them. */
  settings: S3FileStoreSettings & { S3_ENDPOINT: string; S3_BUCKET: string };
  /** A client of the same server with the same keys, for the tests to act behind the store's back. */
  client: S3Client;
  stop(): Promise<void>;
}

/**
 * `weed server -s3` on free loopback ports over a fresh data folder, one admin identity from an
 * -s3.config file, and a bucket of its own; resolves once the bucket is created (the S3 gateway
 * answers only after the master, volume and filer servers behind it are up).
 */
export async function startSeaweedS3(): Promise<SeaweedS3> {
  const weed = weedPath();
  if (!existsSync(weed))
    throw new Error(
      `SeaweedFS is not built (${weed}): run scripts/install-seaweedfs.sh (install-tools.sh runs it)`,
    );
  const dir = mkdtempSync(join(tmpdir(), 'seaweedfs-'));
  const accessKeyId = `test-${randomBytes(4).toString('hex')}`;
  const secretAccessKey = randomBytes(18).toString('hex');
  writeFileSync(
    join(dir, 's3.json'),
    JSON.stringify({
      identities: [
        {
          name: 'lifecycle',
          credentials: [{ accessKey: accessKeyId, secretKey: secretAccessKey }],
          actions: ['Admin', 'Read', 'Write', 'List', 'Tagging'],
        },
      ],
    }),
  );
  const ports: number[] = [];
  while (ports.length < 8) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  const [master, masterGrpc, volume, volumeGrpc, filer, filerGrpc, s3, s3Grpc] = ports;
  const args = [
    'server',
    '-ip=127.0.0.1',
    '-ip.bind=127.0.0.1',
    `-dir=${join(dir, 'data')}`,
    `-master.port=${master}`,
    `-master.port.grpc=${masterGrpc}`,
    '-master.telemetry=false',
    '-master.volumeSizeLimitMB=256',
    `-volume.port=${volume}`,
    `-volume.port.grpc=${volumeGrpc}`,
    `-filer.port=${filer}`,
    `-filer.port.grpc=${filerGrpc}`,
    `-filer.localSocket=${join(dir, 'filer.sock')}`,
    '-s3',
    `-s3.port=${s3}`,
    `-s3.port.grpc=${s3Grpc}`,
    '-s3.port.iceberg=0',
    '-s3.port.lance=0',
    `-s3.localSocket=${join(dir, 's3.sock')}`,
    `-s3.config=${join(dir, 's3.json')}`,
  ];
  mkdirSync(join(dir, 'data'));
  const log: string[] = [];
  const child: ChildProcess = spawn(weed, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) => {
    log.push(chunk.toString());
    if (log.length > 200) log.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `weed exited (${signal ?? code})`));

  const settings = {
    S3_ENDPOINT: `http://127.0.0.1:${s3}`,
    S3_REGION: 'us-east-1',
    S3_BUCKET: `evidence-${randomBytes(4).toString('hex')}`,
    S3_ACCESS_KEY_ID: accessKeyId,
    S3_SECRET_ACCESS_KEY: secretAccessKey,
    S3_FORCE_PATH_STYLE: true,
  };
  const client = new S3Client({
    endpoint: settings.S3_ENDPOINT,
    region: settings.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const stop = async (): Promise<void> => {
    client.destroy();
    if (exited === undefined) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
    // weed puts its services' local gRPC sockets in /tmp, named by port, whatever the flags say.
    for (const [service, port] of [
      ['master', masterGrpc],
      ['volume', volumeGrpc],
      ['filer', filerGrpc],
      ['s3', s3Grpc],
    ] as const)
      rmSync(join('/tmp', `seaweedfs-${service}-grpc-${port}.sock`), { force: true });
  };

  // Up to a minute for a cold start; each try fails fast while the gateway is not listening yet.
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await client.send(new CreateBucketCommand({ Bucket: settings.S3_BUCKET }));
      break;
    } catch (e) {
      if (exited !== undefined || Date.now() > deadline) {
        await stop();
        throw new Error(`SeaweedFS did not come up: ${exited ?? String(e)}\n${log.join('').slice(-4000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return { settings, client, stop };
}
