import type { IsoDate } from './dates';
import type { Yuan } from './money';

/** 投资方类型: 央企, 国企, 民营, 外资, 港澳台. */
export type InvestorType = 'central_soe' | 'local_soe' | 'private' | 'foreign' | 'hk_macao_taiwan';
export const INVESTOR_TYPES: readonly InvestorType[] = [
  'central_soe',
  'local_soe',
  'private',
  'foreign',
  'hk_macao_taiwan',
];
export const INVESTOR_TYPE_LABELS: Record<InvestorType, string> = {
  central_soe: '央企',
  local_soe: '国企',
  private: '民营',
  foreign: '外资',
  hk_macao_taiwan: '港澳台',
};

/** 世界500强, 中国500强, 民营500强, 上市公司. */
export type InvestorFlag = 'fortune_global_500' | 'china_top_500' | 'private_top_500' | 'listed';
export const INVESTOR_FLAGS: readonly InvestorFlag[] = [
  'fortune_global_500',
  'china_top_500',
  'private_top_500',
  'listed',
];
export const INVESTOR_FLAG_LABELS: Record<InvestorFlag, string> = {
  fortune_global_500: '世界500强',
  china_top_500: '中国500强',
  private_top_500: '民营500强',
  listed: '上市公司',
};

export interface Investor {
  name: string;
  type: InvestorType;
  flags: InvestorFlag[];
  /**
   * Where the investor is based, a 6-digit division code (a province 'xx0000' is enough): what tells
   * 实际利用省外资金 from money of the project's own province. Absent when not recorded.
   */
  origin?: string;
}

/** Industry chains the reports name; others are accepted as free text. */
export const KNOWN_INDUSTRY_CHAINS: readonly string[] = [
  '生物医药',
  '精细化工',
  '先进装备制造',
  '食品饮料',
  '电子信息',
  '航空航天',
  '新能源',
  '新材料',
];

/** Lead sources the reports name (驻外招商, 以商招商, …); others are accepted as free text. */
export const KNOWN_LEAD_SOURCES: readonly string[] = [
  '驻外招商',
  '以商招商',
  '基金招商',
  '云招商',
  '乡情招商',
  '委托招商',
  '展会',
];

/** 6-digit administrative division code (GB/T 2260), e.g. '420500' (宜昌市). */
/** A 6-digit administrative division code (GB/T 2260); its first digit is never 0. */
export const REGION_CODE_PATTERN = /^[1-9]\d{5}$/;

export function isRegionCode(value: unknown): value is string {
  return typeof value === 'string' && REGION_CODE_PATTERN.test(value);
}

/**
 * Whether an actor's region covers a project's region: the same code, or a city ('xxxx00') or
 * province ('xx0000') that contains it.
 */
export function regionCovers(actorRegion: string, projectRegion: string): boolean {
  if (actorRegion === projectRegion) return true;
  if (!isRegionCode(actorRegion) || !isRegionCode(projectRegion)) return false;
  if (actorRegion.endsWith('0000')) return projectRegion.startsWith(actorRegion.slice(0, 2));
  if (actorRegion.endsWith('00')) return projectRegion.startsWith(actorRegion.slice(0, 4));
  return false;
}

/** Where the project sits: a land parcel (land paid) or a lease (lease signed). */
export type Site =
  | { kind: 'land_parcel'; parcelNumber: string; areaSquareMetres?: string }
  | { kind: 'lease'; leaseContractNumber: string; address?: string; areaSquareMetres?: string };

/** Evidence of real construction (piling, not site levelling): a permit or other evidence. */
export type ConstructionEvidence =
  { kind: 'construction_permit'; permitNumber: string } | { kind: 'other'; description: string };

export type ProductionScope = 'partial' | 'full';
export const PRODUCTION_SCOPE_LABELS: Record<ProductionScope, string> = {
  partial: '部分投产',
  full: '全部投产',
};

/** 堵点 categories. */
export type BlockerCategory =
  'land' | 'planning' | 'environment' | 'approval' | 'funding' | 'utilities' | 'labour' | 'policy' | 'other';
export const BLOCKER_CATEGORIES: readonly BlockerCategory[] = [
  'land',
  'planning',
  'environment',
  'approval',
  'funding',
  'utilities',
  'labour',
  'policy',
  'other',
];
export const BLOCKER_CATEGORY_LABELS: Record<BlockerCategory, string> = {
  land: '用地',
  planning: '规划',
  environment: '环评能评',
  approval: '审批手续',
  funding: '资金',
  utilities: '水电气配套',
  labour: '用工',
  policy: '政策兑现',
  other: '其他',
};

/** 牵头部门 (lead) or 协办部门 (co-handling): they get different default due dates. */
export type DepartmentRole = 'lead' | 'co_handling';

export interface ProjectAttributes {
  name: string;
  investor: Investor;
  industryChain: string;
  region: string;
  park: string | null;
  industrial: boolean;
  plannedInvestment: Yuan;
  source: string;
  leadDate: IsoDate;
}
