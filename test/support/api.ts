import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  addDays,
  DEFAULT_EVIDENCE_REQUIREMENTS,
  evidenceStepOf,
  shanghaiDate,
  type EvidenceSlot,
} from '../../libs/domain/src';
import type { TestSystem } from './system';

export const REGION = '420500';
export const COUNTY = '420506';
export const OTHER_REGION = '110105';
export const CREDIT_CODE = '914403001922038216';

export const today = (): string => shanghaiDate(new Date().toISOString());
export const daysAgo = (n: number): string => addDays(today(), -n);

/** A short tag no other call gives, for names and numbers that must not repeat across tests. */
export const uniqueTag = (): string => randomUUID().slice(0, 8).toUpperCase();

/** The number an ETag such as "v3" names. */
export function etagNumber(etag: string | undefined): number {
  const match = /^"v(\d+)"$/.exec(etag ?? '');
  if (!match) throw new Error(`not a project ETag: ${etag}`);
  return Number(match[1]);
}

export interface Caller {
  role: string;
  regions: string[];
  sub: string;
}

/**
 * A lead body. Its investor is named afresh on every call (as is a signing's contract number in
 * `evidence`), so that the projects tests register are never flagged as one project counted twice
 * (LIKELY_DUPLICATE); a test that sends one body twice builds it once.
 */
export function lead(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: '年产5万吨锂电池正极材料项目',
    investor: { name: `湖北某某新材料有限公司${uniqueTag()}`, type: 'private', flags: ['listed'] },
    industryChain: '新材料',
    region: COUNTY,
    park: '宜昌高新区',
    industrial: true,
    plannedInvestment: '150000000.00',
    source: '以商招商',
    leadDate: today(),
    ...overrides,
  };
}

/** Evidence for each transition, dated today so that no deadline is due while a test runs. */
export function evidence(to: string): Record<string, unknown> {
  const d = today();
  const bodies: Record<string, Record<string, unknown>> = {
    negotiating: { talksDate: d, leadingOfficial: '张副市长' },
    signed: { contractDate: d, contractInvestment: '150000000.00', contractNumber: `HT-${uniqueTag()}` },
    landed: {
      creditCode: CREDIT_CODE,
      companyName: '宜昌某某新材料有限公司',
      landedDate: d,
      site: { kind: 'land_parcel', parcelNumber: 'YC-2025-17', areaSquareMetres: '20000.00' },
    },
    started: { startDate: d, evidence: { kind: 'construction_permit', permitNumber: '420500202501010101' } },
    in_stats: { statisticsCode: 'TJ-420506-0001', inStatsDate: d },
    producing: { productionDate: d, scope: 'full' },
    dropped: { reason: '企业战略调整' },
    reopen: { reason: '企业重新确认投资' },
  };
  return { to, ...bodies[to] };
}

/** A supertest parser that keeps a binary answer (a file, a workbook) whole, as a Buffer. */
export function binaryBody(res: request.Response, done: (e: Error | null, body: Buffer) => void): void {
  const parts: Buffer[] = [];
  res.on('data', (part: Buffer) => parts.push(part));
  res.on('end', () => done(null, Buffer.concat(parts)));
}

/** The command each evidence-bearing transition sends. */
const COMMAND_OF: Record<string, string> = {
  landed: 'Land',
  started: 'StartConstruction',
  in_stats: 'EnterStatistics',
  producing: 'StartProduction',
};

/** A PDF as small as a reader opens; its text makes each upload's content (and hash) its own. */
export function pdfBytes(text: string): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`, 'utf8');
}

/** A 1×1 PNG. */
export const PNG_BYTES = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** The slot of each document the default policy asks a transition for (the first that provides it). */
export function defaultEvidenceSlots(to: string): EvidenceSlot[] {
  const step = evidenceStepOf(COMMAND_OF[to] ?? '');
  return step ? (DEFAULT_EVIDENCE_REQUIREMENTS[step] ?? []).map((anyOf) => anyOf[0]) : [];
}

/** The path each stage is reached by, from a lead. */
export const PATH_TO: Record<string, string[]> = {
  lead: [],
  negotiating: ['negotiating'],
  signed: ['signed'],
  landed: ['signed', 'landed'],
  started: ['signed', 'landed', 'started'],
  in_stats: ['signed', 'landed', 'started', 'in_stats'],
  producing: ['signed', 'landed', 'started', 'in_stats', 'producing'],
  dropped: ['dropped'],
};

/** HTTP calls as one user, with a fresh Idempotency-Key on every write unless one is given. */
export class ApiClient {
  readonly token: string;

  constructor(
    private readonly system: TestSystem,
    readonly caller: Caller,
  ) {
    this.token = system.token(caller);
  }

  get(path: string): request.Test {
    return request(this.system.app.getHttpServer()).get(path).set('Authorization', `Bearer ${this.token}`);
  }

  /** A write: POST (or PUT), with If-Match when a version is given. */
  write(
    path: string,
    body: unknown,
    options: { version?: number; key?: string; method?: 'post' | 'put' } = {},
  ): request.Test {
    const server = request(this.system.app.getHttpServer());
    let req = server[options.method ?? 'post'](path)
      .set('Authorization', `Bearer ${this.token}`)
      .set('Idempotency-Key', options.key ?? randomUUID());
    if (options.version !== undefined) req = req.set('If-Match', `"v${options.version}"`);
    return body === undefined ? req : req.send(body as object);
  }

  /** Registers a lead and returns its id and version. */
  async register(overrides: Record<string, unknown> = {}): Promise<{ id: string; version: number }> {
    const res = await this.write('/api/projects', lead(overrides)).expect(201);
    return { id: res.body.projectId as string, version: etagNumber(res.headers.etag) };
  }

  /**
   * What If-Match must name: the number in the project's ETag, its revision, read from the read
   * model the ETag is made of. Setting a test up this way leaves the project page (and the
   * workflow query behind it) to the tests about it.
   */
  async version(id: string): Promise<number> {
    const [row] = await this.system.dataSource.query<{ revision: number }[]>(
      'SELECT revision FROM projects WHERE project_id = $1',
      [id],
    );
    if (!row) throw new Error(`no project ${id} in the read model`);
    return Number(row.revision);
  }

  /** Uploads a file as this caller (POST /api/files) and answers its id. */
  async upload(name: string, content: Buffer): Promise<string> {
    const res = await request(this.system.app.getHttpServer())
      .post('/api/files')
      .set('Authorization', `Bearer ${this.token}`)
      .attach('file', content, name);
    if (res.status !== 201) throw new Error(`upload of ${name} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.fileId as string;
  }

  /** Uploads one file for each document the default policy asks a transition to `to` for. */
  async evidenceFiles(to: string): Promise<{ fileId: string; slot: EvidenceSlot }[]> {
    return Promise.all(
      defaultEvidenceSlots(to).map(async (slot) => {
        const photo = slot.endsWith('_photo');
        const fileId = await this.upload(
          photo ? `${slot}.png` : `${slot}-${uniqueTag()}.pdf`,
          photo ? PNG_BYTES : pdfBytes(`${slot} ${randomUUID()}`),
        );
        return { fileId, slot };
      }),
    );
  }

  /**
   * A transition body with the evidence files its step needs, uploaded as this caller, unless it
   * names its own `files` (a test of the evidence rule itself).
   */
  async withEvidence(body: unknown): Promise<unknown> {
    if (typeof body !== 'object' || body === null || 'files' in body) return body;
    const to = (body as { to?: unknown }).to;
    if (typeof to !== 'string' || defaultEvidenceSlots(to).length === 0) return body;
    // A role that may not upload (an auditor) sends the body as it is: the route refuses the role.
    const probe = await request(this.system.app.getHttpServer())
      .post('/api/files')
      .set('Authorization', `Bearer ${this.token}`)
      .attach('file', pdfBytes(randomUUID()), 'probe.pdf');
    if (probe.status === 403) return body;
    return { ...body, files: await this.evidenceFiles(to) };
  }

  /** Sends a command to a project at its current version, expecting it to be accepted. */
  async command(id: string, path: string, body: unknown): Promise<number> {
    const sent = path === '/transitions' ? await this.withEvidence(body) : body;
    // The timers may record an alert between our read and our write: read again, as a client would.
    for (let attempt = 1; ; attempt++) {
      const res = await this.write(`/api/projects/${id}${path}`, sent, { version: await this.version(id) });
      if (res.status === 200) return etagNumber(res.headers.etag);
      if (res.status !== 412 || attempt === 3)
        throw new Error(`${path} → ${res.status} ${JSON.stringify(res.body)}`);
    }
  }

  /** A fresh project, registered by this caller and moved to `stage`. */
  async projectAt(stage: string, overrides: Record<string, unknown> = {}): Promise<string> {
    const { id } = await this.register(overrides);
    for (const to of PATH_TO[stage]) await this.command(id, '/transitions', evidence(to));
    return id;
  }
}
