import { ADDRESSEE_KINDS, type AddresseeKind, type Rung } from './alerts';
import { isRegionCode, type DepartmentRole } from './attributes';
import type { BusinessCalendar } from './calendar';
import { addDays, addMonths, type IsoDate } from './dates';
import {
  DEFAULT_EVIDENCE_REQUIREMENTS,
  EVIDENCE_SLOTS,
  EVIDENCE_STEPS,
  type EvidenceRequirements,
} from './evidence';
import { tryParseYuan, type Yuan } from './money';

/** Local practice mixes units, so every limit names its own: 自然日, 工作日 or 月. */
export type DurationUnit = 'calendar_day' | 'working_day' | 'month';
export const DURATION_UNITS: readonly DurationUnit[] = ['calendar_day', 'working_day', 'month'];
export const DURATION_UNIT_LABELS: Record<DurationUnit, string> = {
  calendar_day: '自然日',
  working_day: '工作日',
  month: '月',
};

export interface Duration {
  amount: number;
  unit: DurationUnit;
}

/** The event a deadline runs from. */
export type DeadlineAnchor =
  | 'signed'
  | 'started'
  | 'production_without_statistics'
  | 'planned_production'
  | 'last_activity'
  | 'blocker_raised';

/** The step that falls due. */
export type DeadlineStep =
  | 'land'
  | 'start_construction'
  | 'enter_statistics'
  | 'start_production'
  | 'assign_chief_officer'
  | 'follow_up_lead'
  | 'follow_up_talks'
  | 'resolve_blocker';

export const STEP_LABELS: Record<DeadlineStep, string> = {
  land: '落地',
  start_construction: '开工',
  enter_statistics: '入统',
  start_production: '投产',
  assign_chief_officer: '明确首席服务官',
  follow_up_lead: '线索跟进',
  follow_up_talks: '在谈推进',
  resolve_blocker: '堵点办结',
};

/** The (anchor, step) pairs the deadline function knows how to open and close. */
export const SUPPORTED_RULE_SHAPES: readonly (readonly [DeadlineAnchor, DeadlineStep])[] = [
  ['signed', 'land'],
  ['signed', 'start_construction'],
  ['signed', 'assign_chief_officer'],
  ['started', 'enter_statistics'],
  ['production_without_statistics', 'enter_statistics'],
  ['planned_production', 'start_production'],
  ['last_activity', 'follow_up_lead'],
  ['last_activity', 'follow_up_talks'],
  ['blocker_raised', 'resolve_blocker'],
];

/** When a deadline's light turns: yellow `yellowWithin` before the due date (null: only once missed), red `redAfter` past it. */
export interface LightRule {
  yellowWithin: Duration | null;
  redAfter: Duration | null;
}

export interface SlaRule {
  id: string;
  /** What users read. */
  label: string;
  from: DeadlineAnchor;
  step: DeadlineStep;
  /** Ignored for blockers, which carry their own due date (see blockerDueDefaults). */
  limit: Duration;
  /** The rule applies only to projects of at least this investment (contract, else planned). */
  minInvestment: Yuan | null;
  /** Reminders light up and alert the officer but do not climb the ladder. */
  escalates: boolean;
  light: LightRule;
  enabled: boolean;
}

export interface EscalationRung {
  rung: Exclude<Rung, 0>;
  /** Time after the previous rung's start (rung 1: after the due date). */
  after: Duration;
  addressee: AddresseeKind;
  /** Who takes the rung when the project has no such person (no 首席服务官 → 分管领导). */
  fallback: AddresseeKind | null;
  /** Also onto the monthly bulletin (通报). */
  bulletin: boolean;
}

export interface RuleOverride {
  limit?: Duration;
  light?: LightRule;
  minInvestment?: Yuan | null;
  escalates?: boolean;
  enabled?: boolean;
}

export interface RegionalOverride {
  rules?: Record<string, RuleOverride>;
  escalation?: EscalationRung[];
  redFromRung?: Rung;
  blockerDueDefaults?: Partial<Record<DepartmentRole, Duration>>;
}

export interface ProjectPolicy {
  rules: SlaRule[];
  /** Four rungs, in order. */
  escalation: EscalationRung[];
  /** A deadline escalated to this rung is red whatever its age ("red when … escalated"). */
  redFromRung: Rung;
  /** Default due dates of blockers by the responsible department's role. */
  blockerDueDefaults: Record<DepartmentRole, Duration>;
  /** Targets of the structure shares, in percent (Yichang's "7755"). */
  structureTargets: { industrialSharePercent: string; privateSharePercent: string };
  /** Keyed by 6-digit division code; a province ('xx0000') or city ('xxxx00') code covers its counties. */
  regionalOverrides: Record<string, RegionalOverride>;
  /** The evidence files each step needs; a policy stored without it asks for the defaults. */
  evidence?: EvidenceRequirements;
}

const months = (amount: number): Duration => ({ amount, unit: 'month' });
const days = (amount: number): Duration => ({ amount, unit: 'calendar_day' });
const workingDays = (amount: number): Duration => ({ amount, unit: 'working_day' });

/** The defaults of DESIGN.md ("Deadlines, alerts, escalation"), each with its source. */
export const DEFAULT_POLICY: ProjectPolicy = {
  rules: [
    {
      // DESIGN.md: "A signed project should be landed within 3 months … of signing".
      id: 'land_after_signing',
      label: '签约后3个月内落地',
      from: 'signed',
      step: 'land',
      limit: months(3),
      minInvestment: null,
      escalates: true,
      // "Near" is not quantified by the seeds: one week ahead. Red a month past due.
      light: { yellowWithin: days(7), redAfter: months(1) },
      enabled: true,
    },
    {
      // DESIGN.md: "… and started within 6 months of signing"; red "e.g. 3 months not started".
      id: 'start_after_signing',
      label: '签约后6个月内开工',
      from: 'signed',
      step: 'start_construction',
      limit: months(6),
      minInvestment: null,
      escalates: true,
      light: { yellowWithin: days(7), redAfter: months(3) },
      enabled: true,
    },
    {
      // DESIGN.md: "a started project should be 入统 within 1 month (银川: yellow after 1 month, red after 2)".
      id: 'statistics_after_start',
      label: '开工后1个月内入统',
      from: 'started',
      step: 'enter_statistics',
      limit: months(1),
      minInvestment: '5000000',
      escalates: true,
      light: { yellowWithin: null, redAfter: months(1) },
      enabled: true,
    },
    {
      // DESIGN.md: production before 入统 "carries an open 'not in statistics' anomaly that alerts and
      // escalates until 入统 is recorded" — due at once.
      id: 'statistics_after_production',
      label: '已投产未入统',
      from: 'production_without_statistics',
      step: 'enter_statistics',
      limit: days(0),
      minInvestment: '5000000',
      escalates: true,
      light: { yellowWithin: null, redAfter: months(1) },
      enabled: true,
    },
    {
      // DESIGN.md: "production by the date the contract plans".
      id: 'production_by_contract',
      label: '按合同约定时间投产',
      from: 'planned_production',
      step: 'start_production',
      limit: days(0),
      minInvestment: null,
      escalates: true,
      light: { yellowWithin: months(1), redAfter: months(3) },
      enabled: true,
    },
    {
      // DESIGN.md: "A project of 1亿元 or more without a 首席服务官 5 working days after signing is itself
      // overdue (黑龙江 files the 包保领导 and 首席服务官 within 5 days of signing)".
      id: 'chief_officer_after_signing',
      label: '亿元以上项目签约后5个工作日内明确首席服务官',
      from: 'signed',
      step: 'assign_chief_officer',
      limit: workingDays(5),
      minInvestment: '100000000',
      escalates: true,
      light: { yellowWithin: null, redAfter: workingDays(5) },
      enabled: true,
    },
    {
      // DESIGN.md: "A lead with no activity for 30 days … get[s] a reminder."
      id: 'lead_follow_up',
      label: '线索30天无进展提醒',
      from: 'last_activity',
      step: 'follow_up_lead',
      limit: days(30),
      minInvestment: null,
      escalates: false,
      light: { yellowWithin: null, redAfter: days(30) },
      enabled: true,
    },
    {
      // DESIGN.md: "talks with none for 60 (邯郸: no progress 2 months yellow, 3 months red)".
      id: 'talks_follow_up',
      label: '在谈60天无进展提醒',
      from: 'last_activity',
      step: 'follow_up_talks',
      limit: days(60),
      minInvestment: null,
      escalates: false,
      light: { yellowWithin: null, redAfter: months(1) },
      enabled: true,
    },
    {
      // DESIGN.md: "A blocker (堵点) has a responsible department and a due date …; an overdue blocker
      // escalates like a step." The due date is the blocker's own.
      id: 'blocker_due',
      label: '堵点按期办结',
      from: 'blocker_raised',
      step: 'resolve_blocker',
      limit: days(0),
      minInvestment: null,
      escalates: true,
      light: { yellowWithin: workingDays(1), redAfter: workingDays(10) },
      enabled: true,
    },
  ],
  // DESIGN.md: "Overdue step: alert the service officer at once; unresolved after 5 working days, escalate
  // to the 首席服务官 (or the region's 分管领导 where the project has none); after 10 more, to the 分管领导;
  // after 20 more, to the 主要领导 and onto the monthly bulletin (通报). Four rungs, as 桐庐 runs it."
  escalation: [
    { rung: 1, after: workingDays(0), addressee: 'service_officer', fallback: null, bulletin: false },
    {
      rung: 2,
      after: workingDays(5),
      addressee: 'chief_service_officer',
      fallback: 'deputy_leader',
      bulletin: false,
    },
    { rung: 3, after: workingDays(10), addressee: 'deputy_leader', fallback: null, bulletin: false },
    { rung: 4, after: workingDays(20), addressee: 'principal_leader', fallback: null, bulletin: true },
  ],
  // DESIGN.md: "red when missed long … or escalated" — escalated past the officer.
  redFromRung: 2,
  // DESIGN.md (泉州): "3 working days for a co-handling department, 7 for the lead one".
  blockerDueDefaults: { lead: workingDays(7), co_handling: workingDays(3) },
  // DESIGN.md: 工业项目占比 and 民营投资项目占比 "both targeted at 70%".
  structureTargets: { industrialSharePercent: '70', privateSharePercent: '70' },
  regionalOverrides: {},
  evidence: DEFAULT_EVIDENCE_REQUIREMENTS,
};

/** The evidence a policy asks for (the defaults when it names none). */
export function evidenceRequirementsOf(policy: ProjectPolicy): EvidenceRequirements {
  return policy.evidence ?? DEFAULT_EVIDENCE_REQUIREMENTS;
}

/** A date moved by a duration (backwards when `sign` is -1). */
export function addDuration(
  date: IsoDate,
  duration: Duration,
  calendar: BusinessCalendar,
  sign: 1 | -1 = 1,
): IsoDate {
  const n = duration.amount * sign;
  switch (duration.unit) {
    case 'calendar_day':
      return addDays(date, n);
    case 'working_day':
      return calendar.addWorkingDays(date, n);
    case 'month':
      return addMonths(date, n);
    default: {
      const _exhaustive: never = duration.unit;
      void _exhaustive;
      throw new RangeError('unknown duration unit');
    }
  }
}

/** Region codes whose overrides apply to a region, broadest first: province, city, county. */
function overrideKeys(region: string): string[] {
  if (!isRegionCode(region)) return [];
  const keys = [`${region.slice(0, 2)}0000`, `${region.slice(0, 4)}00`, region];
  return keys.filter((k, i) => keys.indexOf(k) === i);
}

/** The policy as it applies in one region: the overrides of its province, city and county, in that order. */
export function policyForRegion(policy: ProjectPolicy, region: string | null): ProjectPolicy {
  if (!region) return policy;
  let effective = policy;
  for (const key of overrideKeys(region)) {
    const o = policy.regionalOverrides[key];
    if (!o) continue;
    effective = {
      ...effective,
      rules: effective.rules.map((r) => (o.rules?.[r.id] ? { ...r, ...o.rules[r.id] } : r)),
      escalation: o.escalation ?? effective.escalation,
      redFromRung: o.redFromRung ?? effective.redFromRung,
      blockerDueDefaults: { ...effective.blockerDueDefaults, ...o.blockerDueDefaults },
    };
  }
  return effective;
}

/** The default due date of a blocker raised on `raisedDate` (泉州: 7 working days lead, 3 co-handling). */
export function blockerDueDate(
  policy: ProjectPolicy,
  calendar: BusinessCalendar,
  raisedDate: IsoDate,
  departmentRole: DepartmentRole,
  region: string | null = null,
): IsoDate {
  return addDuration(
    raisedDate,
    policyForRegion(policy, region).blockerDueDefaults[departmentRole],
    calendar,
  );
}

export interface PolicyError {
  field: string;
  rule: string;
  message: string;
}

export type PolicyValidation = { ok: true; policy: ProjectPolicy } | { ok: false; errors: PolicyError[] };

/** Checks a policy from configuration: every field typed, units known, the ladder complete. */
export function validatePolicy(p: unknown): PolicyValidation {
  const errors: PolicyError[] = [];
  const err = (field: string, rule: string, message: string): void => {
    errors.push({ field, rule, message });
  };
  if (!isObject(p)) {
    err('', 'object', 'the policy must be an object');
    return { ok: false, errors };
  }

  const ruleIds = new Set<string>();
  if (!Array.isArray(p.rules)) err('rules', 'array', 'rules must be an array');
  else
    p.rules.forEach((r: unknown, i: number) => {
      const f = `rules[${i}]`;
      if (!isObject(r)) return err(f, 'object', 'a rule must be an object');
      if (typeof r.id !== 'string' || !/^[a-z][a-z0-9_]*$/.test(r.id))
        err(`${f}.id`, 'id', 'id must be snake_case');
      else if (ruleIds.has(r.id)) err(`${f}.id`, 'unique', `duplicate rule id ${r.id}`);
      else ruleIds.add(r.id);
      if (typeof r.label !== 'string' || r.label === '') err(`${f}.label`, 'required', 'label is required');
      if (!SUPPORTED_RULE_SHAPES.some(([from, step]) => from === r.from && step === r.step)) {
        err(`${f}.from`, 'shape', `unsupported anchor/step pair ${String(r.from)}/${String(r.step)}`);
      }
      checkDuration(r.limit, `${f}.limit`, err);
      if (r.minInvestment !== null && tryParseYuan(r.minInvestment) === null) {
        err(`${f}.minInvestment`, 'yuan', 'minInvestment must be a yuan amount or null');
      }
      if (typeof r.escalates !== 'boolean') err(`${f}.escalates`, 'boolean', 'escalates must be a boolean');
      if (typeof r.enabled !== 'boolean') err(`${f}.enabled`, 'boolean', 'enabled must be a boolean');
      checkLight(r.light, `${f}.light`, err);
    });

  checkLadder(p.escalation, 'escalation', err);
  if (!isRungValue(p.redFromRung)) err('redFromRung', 'rung', 'redFromRung must be 1–4');
  checkBlockerDefaults(p.blockerDueDefaults, 'blockerDueDefaults', err, true);

  if (!isObject(p.structureTargets)) err('structureTargets', 'object', 'structureTargets must be an object');
  else
    for (const key of ['industrialSharePercent', 'privateSharePercent']) {
      const v = p.structureTargets[key];
      if (typeof v !== 'string' || !/^\d{1,3}(\.\d{1,2})?$/.test(v) || Number(v) > 100) {
        err(`structureTargets.${key}`, 'percent', 'a target is a percent between 0 and 100');
      }
    }

  if (!isObject(p.regionalOverrides))
    err('regionalOverrides', 'object', 'regionalOverrides must be an object');
  else
    for (const [code, o] of Object.entries(p.regionalOverrides)) {
      const f = `regionalOverrides.${code}`;
      if (!isRegionCode(code)) err(f, 'region', 'keys are 6-digit administrative division codes');
      if (!isObject(o)) {
        err(f, 'object', 'an override must be an object');
        continue;
      }
      if (o.rules !== undefined) {
        if (!isObject(o.rules)) err(`${f}.rules`, 'object', 'rules must be an object keyed by rule id');
        else
          for (const [id, ro] of Object.entries(o.rules)) {
            const rf = `${f}.rules.${id}`;
            if (!ruleIds.has(id)) err(rf, 'known_rule', `no rule with id ${id}`);
            if (!isObject(ro)) {
              err(rf, 'object', 'a rule override must be an object');
              continue;
            }
            if (ro.limit !== undefined) checkDuration(ro.limit, `${rf}.limit`, err);
            if (ro.light !== undefined) checkLight(ro.light, `${rf}.light`, err);
            if (
              ro.minInvestment !== undefined &&
              ro.minInvestment !== null &&
              tryParseYuan(ro.minInvestment) === null
            ) {
              err(`${rf}.minInvestment`, 'yuan', 'minInvestment must be a yuan amount or null');
            }
            for (const b of ['escalates', 'enabled']) {
              if (ro[b] !== undefined && typeof ro[b] !== 'boolean')
                err(`${rf}.${b}`, 'boolean', `${b} must be a boolean`);
            }
          }
      }
      if (o.escalation !== undefined) checkLadder(o.escalation, `${f}.escalation`, err);
      if (o.redFromRung !== undefined && !isRungValue(o.redFromRung)) {
        err(`${f}.redFromRung`, 'rung', 'redFromRung must be 1–4');
      }
      if (o.blockerDueDefaults !== undefined)
        checkBlockerDefaults(o.blockerDueDefaults, `${f}.blockerDueDefaults`, err, false);
    }

  if (p.evidence !== undefined) checkEvidenceRequirements(p.evidence, 'evidence', err);

  return errors.length === 0 ? { ok: true, policy: p as unknown as ProjectPolicy } : { ok: false, errors };
}

type Err = (field: string, rule: string, message: string) => void;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function oneOf(list: readonly string[], v: unknown): boolean {
  return typeof v === 'string' && list.includes(v);
}

function isRungValue(v: unknown): boolean {
  return v === 1 || v === 2 || v === 3 || v === 4;
}

function checkDuration(d: unknown, field: string, err: Err): void {
  if (!isObject(d)) return err(field, 'duration', 'a duration is { amount, unit }');
  if (typeof d.amount !== 'number' || !Number.isInteger(d.amount) || d.amount < 0 || d.amount > 3650) {
    err(`${field}.amount`, 'non_negative_integer', 'amount must be a whole number from 0 to 3650');
  }
  if (!oneOf(DURATION_UNITS, d.unit)) {
    err(`${field}.unit`, 'unit', 'unit must be calendar_day (自然日), working_day (工作日) or month (月)');
  }
}

function checkLight(l: unknown, field: string, err: Err): void {
  if (!isObject(l)) return err(field, 'object', 'light must be { yellowWithin, redAfter }');
  if (l.yellowWithin !== null) checkDuration(l.yellowWithin, `${field}.yellowWithin`, err);
  if (l.redAfter !== null) checkDuration(l.redAfter, `${field}.redAfter`, err);
}

function checkLadder(ladder: unknown, field: string, err: Err): void {
  if (!Array.isArray(ladder) || ladder.length !== 4)
    return err(field, 'four_rungs', 'the ladder has exactly four rungs');
  ladder.forEach((r: unknown, i: number) => {
    const f = `${field}[${i}]`;
    if (!isObject(r)) return err(f, 'object', 'a rung must be an object');
    if (r.rung !== i + 1) err(`${f}.rung`, 'order', `rung ${i + 1} expected here`);
    checkDuration(r.after, `${f}.after`, err);
    if (!oneOf(ADDRESSEE_KINDS, r.addressee)) err(`${f}.addressee`, 'addressee', 'unknown addressee');
    if (r.fallback !== null && !oneOf(ADDRESSEE_KINDS, r.fallback))
      err(`${f}.fallback`, 'addressee', 'unknown fallback');
    if (typeof r.bulletin !== 'boolean') err(`${f}.bulletin`, 'boolean', 'bulletin must be a boolean');
  });
}

function checkBlockerDefaults(v: unknown, field: string, err: Err, required: boolean): void {
  if (!isObject(v)) return err(field, 'object', 'blockerDueDefaults must be an object');
  for (const role of ['lead', 'co_handling']) {
    if (v[role] === undefined && !required) continue;
    checkDuration(v[role], `${field}.${role}`, err);
  }
}

function checkEvidenceRequirements(v: unknown, field: string, err: Err): void {
  if (!isObject(v)) return err(field, 'object', 'evidence must be an object keyed by step');
  for (const [step, documents] of Object.entries(v)) {
    const f = `${field}.${step}`;
    if (!oneOf(EVIDENCE_STEPS, step)) err(f, 'step', `steps are ${EVIDENCE_STEPS.join(', ')}`);
    if (!Array.isArray(documents)) {
      err(f, 'array', 'a step needs a list of documents, each a list of the slots that provide it');
      continue;
    }
    documents.forEach((anyOf: unknown, i: number) => {
      if (!Array.isArray(anyOf) || anyOf.length === 0 || !anyOf.every((slot) => oneOf(EVIDENCE_SLOTS, slot)))
        err(`${f}[${i}]`, 'slots', `a document is a non-empty list of slots: ${EVIDENCE_SLOTS.join(', ')}`);
    });
  }
}

/** A policy with its version; version 0 is the built-in default, before any is stored. */
export interface VersionedPolicy {
  version: number;
  policy: ProjectPolicy;
}

export const DEFAULT_VERSIONED_POLICY: VersionedPolicy = { version: 0, policy: DEFAULT_POLICY };
