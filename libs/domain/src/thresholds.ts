import { WAN_YUAN, YI_YUAN, type Fen } from './money';

/**
 * Thresholds fixed by rule rather than by local policy.
 * 500万元: the starting point of the fixed-asset investment statistics ("only projects of 500万元
 * planned investment or more qualify", DESIGN.md, Lifecycle).
 */
export const STATISTICS_THRESHOLD: Fen = 500n * WAN_YUAN;

/** 1亿元: a 首席服务官 is assigned to every project of this size at signing (DESIGN.md, Who uses it). */
export const CHIEF_OFFICER_THRESHOLD: Fen = YI_YUAN;
