import type { ProjectCommand } from './commands';
import {
  DEFAULT_EVIDENCE_REQUIREMENTS,
  evidenceRequirementLabel,
  evidenceStepOf,
  missingEvidence,
  type EvidenceFile,
} from './evidence';
import { DEFAULT_POLICY, evidenceRequirementsOf, validatePolicy } from './policy';
import { CREDIT_CODE, ctx, historyTo } from './testing/fixtures';
import { specification } from './testing/specification';

const given = specification(expect, ctx());

function file(overrides: Partial<EvidenceFile> = {}): EvidenceFile {
  return {
    fileId: '5c0f1d0e-8a39-4d59-9d1c-1f0b7e3a9a01',
    slot: 'land_document',
    sha256: 'a'.repeat(64),
    name: '国有建设用地使用权出让合同.pdf',
    mediaType: 'application/pdf',
    size: 12345,
    capturedAt: null,
    capturePlace: null,
    ...overrides,
  };
}

const land = (files: unknown): ProjectCommand =>
  ({
    type: 'Land',
    data: {
      creditCode: CREDIT_CODE,
      landedDate: '2025-02-20',
      site: { kind: 'land_parcel', parcelNumber: '宜市夷陵[2025]05号' },
      files,
    },
  }) as ProjectCommand;

describe('evidence files on commands', () => {
  it('records the files a landing carries in its event, hash and all', () => {
    const photo = file({
      fileId: '7d2b6c1e-2f0a-4b8e-9a55-0c2d3e4f5a6b',
      slot: 'other',
      mediaType: 'image/jpeg',
      capturedAt: '2025-02-19T10:31:05',
      capturePlace: { latitude: 30.69, longitude: 111.28 },
    });
    const { events } = given(historyTo('signed'))
      .when(land([file(), photo]))
      .thenAccepted();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'ProjectLanded', data: { files: [file(), photo] } });
  });

  it('records no files field when none are given, so earlier events keep their shape', () => {
    const { events } = given(historyTo('signed')).when(land(undefined)).thenAccepted();
    expect(events[0].data).not.toHaveProperty('files');
  });

  it('refuses a file described wrongly, naming it', () => {
    given(historyTo('signed'))
      .when(land([file({ sha256: 'not-a-hash' })]))
      .thenRefused('EVIDENCE_INVALID', 'data.files[0]');
    given(historyTo('signed'))
      .when(land([file(), file({ slot: 'photo' as never, fileId: 'x' })]))
      .thenRefused('EVIDENCE_INVALID', 'data.files[1]');
    given(historyTo('signed'))
      .when(land([file({ mediaType: 'application/x-msdownload' as never })]))
      .thenRefused('EVIDENCE_INVALID', 'data.files[0]');
    given(historyTo('signed')).when(land('all of them')).thenRefused('EVIDENCE_INVALID', 'data.files');
  });

  it('refuses the same file twice in one command', () => {
    given(historyTo('signed'))
      .when(land([file(), file({ slot: 'lease_contract' })]))
      .thenRefused('EVIDENCE_DUPLICATE', 'data.files[1].fileId');
  });

  it('carries files on 入统, funds, a blocker resolution and a visit too', () => {
    const { events } = given(historyTo('started'))
      .when({
        type: 'EnterStatistics',
        data: {
          statisticsCode: 'TJ-1',
          inStatsDate: '2025-03-05',
          files: [file({ slot: 'business_licence' })],
        },
      })
      .thenAccepted();
    expect(events[0].data).toMatchObject({ files: [{ slot: 'business_licence' }] });
    const visit = given(historyTo('signed'))
      .when({
        type: 'LogServiceVisit',
        data: { visitDate: '2025-02-20', summary: '现场走访', files: [file({ slot: 'visit_photo' })] },
      })
      .thenAccepted();
    expect(visit.events[0].data).toMatchObject({ files: [{ slot: 'visit_photo' }] });
  });
});

describe('the evidence a step needs', () => {
  it('knows which commands record a step the policy can ask evidence for', () => {
    expect(evidenceStepOf('Land')).toBe('land');
    expect(evidenceStepOf('EnterStatistics')).toBe('enter_statistics');
    expect(evidenceStepOf('LogServiceVisit')).toBeNull();
  });

  it('asks 入统 for its four documents by default, and names the ones missing', () => {
    const required = evidenceRequirementsOf(DEFAULT_POLICY);
    expect(missingEvidence(required, 'enter_statistics', [])).toEqual([
      ['filing_document'],
      ['construction_contract'],
      ['site_photo'],
      ['business_licence'],
    ]);
    expect(
      missingEvidence(required, 'enter_statistics', [
        { slot: 'filing_document' },
        { slot: 'site_photo' },
        { slot: 'business_licence' },
      ]),
    ).toEqual([['construction_contract']]);
  });

  it('takes a start photo or the permit for 开工, and the land or lease document for 落地', () => {
    const required = DEFAULT_EVIDENCE_REQUIREMENTS;
    expect(missingEvidence(required, 'start_construction', [{ slot: 'construction_permit' }])).toEqual([]);
    expect(missingEvidence(required, 'start_construction', [{ slot: 'start_photo' }])).toEqual([]);
    expect(missingEvidence(required, 'land', [{ slot: 'lease_contract' }])).toEqual([]);
    expect(missingEvidence(required, 'land', [{ slot: 'site_photo' }])).toEqual([
      ['land_document', 'lease_contract'],
    ]);
    expect(evidenceRequirementLabel(['start_photo', 'construction_permit'])).toBe(
      '开工现场照片（桩基施工）或施工许可证',
    );
  });

  it('needs nothing for 投产 by default, and nothing at all under a policy that asks for none', () => {
    expect(missingEvidence(DEFAULT_EVIDENCE_REQUIREMENTS, 'start_production', [])).toEqual([]);
    expect(missingEvidence(evidenceRequirementsOf({ ...DEFAULT_POLICY, evidence: {} }), 'land', [])).toEqual(
      [],
    );
  });

  it('reads a policy stored before evidence was asked for as asking for the defaults', () => {
    const { evidence: _dropped, ...older } = DEFAULT_POLICY;
    expect(evidenceRequirementsOf(older)).toEqual(DEFAULT_EVIDENCE_REQUIREMENTS);
  });

  it('validates the evidence a policy names, field by field', () => {
    expect(validatePolicy(DEFAULT_POLICY).ok).toBe(true);
    const bad = validatePolicy({
      ...DEFAULT_POLICY,
      evidence: { land: [['land_document'], []], sign: [['other']], enter_statistics: 'all' },
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.map((e) => [e.field, e.rule])).toEqual([
      ['evidence.land[1]', 'slots'],
      ['evidence.sign', 'step'],
      ['evidence.enter_statistics', 'array'],
    ]);
  });
});
