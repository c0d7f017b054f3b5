// The lifecycle rules of an investment project (线索 → 在谈 → 签约 → 落地 → 开工 → 入统 → 投产, and 终止),
// as pure deterministic functions shared by the workflows, the API and the audit replay.
export * from './actor';
export * from './alerts';
export * from './attributes';
export * from './calendar';
export * from './calendar-bounds';
export * from './commands';
export * from './credit-code';
export * from './dates';
export { decide, type Decision, type DecisionContext } from './decide';
export { accepted, refused, type DecisionInput } from './decision';
export * from './deadlines';
export * from './events';
export * from './evolve';
export * from './metrics';
export * from './money';
export * from './policy';
export * from './refusals';
export * from './stages';
export * from './state';
export * from './text';
export * from './thresholds';
export { qualifiesForStatistics, inScope } from './field-checks';
export { dateOrderViolation } from './correction';
export * from './permissions';
export * from './quarters';
export * from './time-travel';
export * from './region-scope';
