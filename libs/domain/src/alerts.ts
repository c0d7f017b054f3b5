import type { Role } from './actor';

/** 亮灯: green on track, yellow near or first missed, red missed long or escalated. */
export type Light = 'green' | 'yellow' | 'red';
export const LIGHTS: readonly Light[] = ['green', 'yellow', 'red'];
export const LIGHT_LABELS: Record<Light, string> = { green: '绿灯', yellow: '黄灯', red: '红灯' };
export const LIGHT_SEVERITY: Record<Light, number> = { green: 0, yellow: 1, red: 2 };

export function worstLight(lights: Light[]): Light {
  return lights.reduce<Light>((acc, l) => (LIGHT_SEVERITY[l] > LIGHT_SEVERITY[acc] ? l : acc), 'green');
}

/** Escalation rung: 0 not overdue; 1 service officer; 2 首席服务官; 3 分管领导; 4 主要领导 + 通报. */
export type Rung = 0 | 1 | 2 | 3 | 4;
export const MAX_RUNG = 4;

export function isRung(value: unknown): value is Rung {
  return value === 0 || value === 1 || value === 2 || value === 3 || value === 4;
}

/** Who an alert goes to, by position on the ladder. */
export type AddresseeKind =
  'service_officer' | 'chief_service_officer' | 'deputy_leader' | 'principal_leader';
export const ADDRESSEE_KINDS: readonly AddresseeKind[] = [
  'service_officer',
  'chief_service_officer',
  'deputy_leader',
  'principal_leader',
];
export const ADDRESSEE_LABELS: Record<AddresseeKind, string> = {
  service_officer: '服务专员',
  chief_service_officer: '首席服务官',
  deputy_leader: '分管领导',
  principal_leader: '主要领导',
};
export const ADDRESSEE_ROLES: Record<AddresseeKind, Role> = {
  service_officer: 'officer',
  chief_service_officer: 'chief_officer',
  deputy_leader: 'leader',
  principal_leader: 'leader',
};

export interface Addressee {
  kind: AddresseeKind;
  role: Role;
  /** The person, when the project names one; leaders are found by region. */
  id?: string;
  label: string;
  /** The project's region, so a leader can be found for it. */
  region?: string;
  /** Also goes onto the monthly bulletin (通报). */
  bulletin?: boolean;
}
