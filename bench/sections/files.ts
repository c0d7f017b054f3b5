import { JwtService } from '@nestjs/jwt';
import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { BenchContext } from '../lib/context';
import { msSince, type Figure, type Section } from '../lib/measure';
import type { BenchSection } from './index';

const JWT_SECRET = 'bench-secret-not-for-production';
const MiB = 1024 * 1024;
/** The size the issue names: a 200 MB upload streams without the API's memory growing with it. */
const UPLOAD_BYTES = 200 * MiB;
const PIECE_BYTES = 64 * 1024;

interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** The API in a child process, so that its memory is its own. */
class ApiProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(env: Record<string, string>): Promise<ApiProcess> {
    const child = fork(require.resolve('../processes/files-api'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...env },
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.once('message', (m: { ready?: string }) =>
        m.ready ? resolve(m.ready) : reject(new Error(JSON.stringify(m))),
      );
      child.once('exit', (code) => reject(new Error(`API exited (${code}) before it was ready`)));
    });
    return new ApiProcess(child, url);
  }

  private ask<T>(message: string): Promise<T> {
    return new Promise((resolve) => {
      this.child.once('message', (m) => resolve(m as T));
      this.child.send(message);
    });
  }

  reset(): Promise<unknown> {
    return this.ask('reset');
  }

  peak(): Promise<{ baseline: Memory; peak: Memory }> {
    return this.ask('peak');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send('stop');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * POSTs a PDF of `bytes` to /api/files as multipart, written piece by piece as the socket drains
 * (the client holds one piece, never the file), and answers the status, body and the hash sent.
 */
function streamUpload(
  url: string,
  token: string,
  bytes: number,
  run: number,
): Promise<{ status: number; body: string; sha256: string }> {
  const boundary = `----bench${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="基准现场资料-${run}.pdf"\r\n` +
      `Content-Type: application/pdf\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const block = randomBytes(PIECE_BYTES);
  const hash = createHash('sha256');
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/api/files`,
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': head.length + bytes + tail.length,
        },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (p: Buffer) => parts.push(p));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(parts).toString(),
            sha256: hash.digest('hex'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.write(head);
    let sent = 0;
    let n = 0;
    const write = (): void => {
      while (sent < bytes) {
        const size = Math.min(PIECE_BYTES, bytes - sent);
        const piece = Buffer.from(block.subarray(0, size));
        // The first piece makes it a PDF; each piece differs, so that each run is new content.
        if (sent === 0) piece.write('%PDF-1.7\n', 0, 'latin1');
        else piece.writeUInt32BE(n, 0);
        piece.writeUInt32BE(run, 16);
        n++;
        sent += size;
        hash.update(piece);
        if (!req.write(piece)) return void req.once('drain', write);
      }
      req.end(tail);
    };
    write();
  });
}

async function run(ctx: BenchContext): Promise<Section> {
  const { url: databaseUrl, dataSource } = await ctx.freshDatabase('files');
  await dataSource.destroy();
  const api = await ApiProcess.start({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: ctx.temporalAddress,
    TEMPORAL_NAMESPACE: ctx.namespace,
    TEMPORAL_TASK_QUEUE: 'bench-files',
    JWT_SECRET,
  });
  try {
    const token = new JwtService({ secret: JWT_SECRET }).sign(
      { role: 'officer', regions: ['420500'] },
      { subject: 'bench-uploader', expiresIn: '2h' },
    );
    const figures: Record<string, Figure> = {
      time: { label: `upload of ${UPLOAD_BYTES / MiB} MiB (request to 201)`, unit: 's', samples: [] },
      rate: { label: 'upload throughput', unit: 'MiB/s', samples: [] },
      rss: {
        label: "API process's peak RSS growth during the upload",
        unit: 'MiB',
        samples: [],
        goal: { atMost: 64, text: 'at most 64 MiB' },
      },
      heap: { label: "API process's peak V8 heap growth", unit: 'MiB', samples: [] },
      buffers: { label: "API process's peak growth of Buffers (off-heap)", unit: 'MiB', samples: [] },
    };
    for (let r = 0; r < ctx.runs; r++) {
      await api.reset();
      const started = process.hrtime.bigint();
      const res = await streamUpload(api.url, token, UPLOAD_BYTES, r);
      const ms = msSince(started);
      if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${res.body}`);
      const answered = JSON.parse(res.body) as { sha256: string; size: number };
      if (answered.sha256 !== res.sha256 || answered.size !== UPLOAD_BYTES) {
        throw new Error(`stored ${answered.sha256} (${answered.size} bytes), sent ${res.sha256}`);
      }
      const { baseline, peak } = await api.peak();
      figures.time.samples.push(ms / 1000);
      figures.rate.samples.push(UPLOAD_BYTES / MiB / (ms / 1000));
      figures.rss.samples.push((peak.rss - baseline.rss) / MiB);
      figures.heap.samples.push((peak.heapUsed - baseline.heapUsed) / MiB);
      figures.buffers.samples.push((peak.arrayBuffers - baseline.arrayBuffers) / MiB);
      ctx.log(
        `files run ${r + 1}/${ctx.runs}: ${(ms / 1000).toFixed(1)} s, RSS +${((peak.rss - baseline.rss) / MiB).toFixed(1)} MiB`,
      );
    }
    return {
      id: 'files',
      title: 'Evidence files: a 200 MiB upload streamed into PostgreSQL',
      figures: Object.values(figures),
      notes: [
        `One ${UPLOAD_BYTES / MiB} MiB PDF per run, sent as multipart/form-data to \`POST /api/files\` by a client that writes it 64 KiB at a time as the socket drains; each run new content (no deduplication), its SHA-256 checked against the answer.`,
        "The API runs alone in a child process (bench/processes/files-api.ts) that samples its own memory every 10 ms; growth is its peak over the upload less its memory just before. The file goes through busboy, is hashed as it streams and written to PostgreSQL in 1 MiB chunks, so the API's memory is bounded by a few chunks whatever the file's size.",
        'PostgreSQL and the client share the machine’s cores with the API.',
      ],
    };
  } finally {
    await api.stop();
  }
}

export const files: BenchSection = { id: 'files', run };
