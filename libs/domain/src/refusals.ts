/** A refusal: a stable code for programs, the offending field, and a message for people. */
export interface Refusal {
  code: string;
  /** Dot path into the command, e.g. 'data.creditCode'. */
  field?: string;
  message: { zh: string; en: string };
}

/** Default messages; a refusal may carry a more specific one. */
export const REFUSAL_MESSAGES = {
  INVALID_CONTEXT: { zh: '调用上下文无效', en: 'the decision context is invalid' },
  UNKNOWN_COMMAND: { zh: '未知的指令', en: 'unknown command' },
  INVALID_COMMAND: { zh: '指令格式无效', en: 'the command is malformed' },
  ROLE_NOT_ALLOWED: { zh: '当前角色无权执行此操作', en: 'this role may not do this' },
  REGION_NOT_IN_SCOPE: { zh: '项目不在您负责的区域内', en: "the project is outside the actor's regions" },
  PROJECT_ALREADY_EXISTS: { zh: '项目已存在', en: 'the project already exists' },
  PROJECT_NOT_FOUND: { zh: '项目不存在', en: 'the project does not exist' },
  PROJECT_DROPPED: {
    zh: '项目已终止,只能由领导重新启动',
    en: 'the project is dropped; only reopening is accepted',
  },
  PROJECT_NOT_DROPPED: { zh: '项目未终止,无需重新启动', en: 'the project is not dropped' },
  PROJECT_COMPLETED: {
    zh: '项目已全部投产,不能终止',
    en: 'the project is in full production and cannot be dropped',
  },
  REQUIRED: { zh: '缺少必填项', en: 'a required field is missing' },
  INVALID_VALUE: { zh: '取值无效', en: 'the value is not one of the accepted values' },
  INVALID_TEXT: { zh: '文本含有无法保存的字符', en: 'the text contains characters that cannot be recorded' },
  INVALID_FOR_STORAGE: {
    zh: '数据库拒绝保存该值,项目未受影响',
    en: 'the database refused to store this value; the project is unchanged',
  },
  DEADLINE_NOT_OPEN: { zh: '该期限不存在或已结束', en: 'the project has no open deadline with this id' },
  INVALID_DATE: { zh: '日期格式无效,应为 YYYY-MM-DD', en: 'the date is not a valid YYYY-MM-DD date' },
  INVALID_MONTH: { zh: '月份格式无效,应为 YYYY-MM', en: 'the month is not a valid YYYY-MM month' },
  DATE_IN_FUTURE: { zh: '业务日期不能晚于当前日期', en: 'a business date cannot be later than now' },
  DATE_BEFORE_PREVIOUS_STAGE: {
    zh: '业务日期不能早于上一阶段的日期',
    en: "a business date cannot be earlier than the previous stage's date",
  },
  DATE_AFTER_NEXT_STAGE: {
    zh: '业务日期不能晚于下一阶段的日期',
    en: "a business date cannot be later than the next stage's date",
  },
  DATE_IN_PAST: { zh: '日期不能早于今天', en: 'the date cannot be earlier than today' },
  INVALID_AMOUNT: {
    zh: '金额格式无效,应为最多两位小数的元',
    en: 'the amount is not a yuan decimal with at most two decimals',
  },
  AMOUNT_NOT_POSITIVE: { zh: '金额必须大于零', en: 'the amount must be greater than zero' },
  AMOUNT_ZERO: { zh: '金额不能为零', en: 'the amount cannot be zero' },
  FUNDS_TOTAL_NEGATIVE: {
    zh: '累计到位资金不能为负',
    en: 'the running total of funds arrived cannot be negative',
  },
  INVALID_REGION_CODE: {
    zh: '行政区划代码无效,应为6位数字',
    en: 'the administrative division code must be 6 digits',
  },
  INVALID_CREDIT_CODE: {
    zh: '统一社会信用代码无效(应为18位,符合 GB 32100-2015)',
    en: 'the unified social credit code is not 18 valid characters (GB 32100-2015)',
  },
  CREDIT_CODE_CHECK_FAILED: {
    zh: '统一社会信用代码校验位不符',
    en: 'the unified social credit code fails its check character',
  },
  EVIDENCE_MISSING: {
    zh: '缺少该环节所需的证明材料',
    en: 'the step lacks the evidence the policy asks for',
  },
  EVIDENCE_INVALID: {
    zh: '证明材料的描述无效',
    en: 'an evidence file is not described as recorded files are',
  },
  EVIDENCE_DUPLICATE: { zh: '同一文件不能重复引用', en: 'the same file is referred to twice' },
  TALKS_NOT_FROM_LEAD: { zh: '只有线索阶段的项目才能进入在谈', en: 'only a lead can start talks' },
  ALREADY_SIGNED: { zh: '项目已签约', en: 'the project is already signed' },
  NOT_SIGNED: { zh: '项目尚未签约', en: 'the project is not signed yet' },
  ALREADY_LANDED: { zh: '项目已落地', en: 'the project has already landed' },
  NOT_LANDED: { zh: '不能开工:项目尚未落地', en: 'cannot start construction before the project has landed' },
  ALREADY_STARTED: { zh: '项目已开工', en: 'construction has already started' },
  NOT_STARTED: { zh: '项目尚未开工', en: 'construction has not started yet' },
  ALREADY_IN_STATS: { zh: '项目已入统', en: 'the project is already in the statistics' },
  BELOW_STATISTICS_THRESHOLD: {
    zh: '计划总投资不足500万元,不符合入统条件',
    en: 'projects under 5 million yuan planned investment do not enter the statistics',
  },
  ALREADY_PRODUCING: { zh: '该投产情况已登记', en: 'this production start is already recorded' },
  BLOCKER_ALREADY_EXISTS: { zh: '堵点编号已存在', en: 'a blocker with this id already exists' },
  BLOCKER_NOT_FOUND: { zh: '堵点不存在', en: 'no such blocker' },
  BLOCKER_ALREADY_RESOLVED: { zh: '堵点已解决', en: 'the blocker is already resolved' },
  ALREADY_ASSIGNED: { zh: '该人员已是本项目的负责人', en: 'this person is already assigned' },
  EVENT_NOT_FOUND: { zh: '要更正的事件不存在', en: 'the event to correct does not exist' },
  EVENT_NOT_CORRECTABLE: { zh: '该类事件不能更正', en: 'this kind of event cannot be corrected' },
  CORRECTION_TYPE_MISMATCH: {
    zh: '更正内容与被更正事件的类型不符',
    en: 'the correction does not match the type of the corrected event',
  },
  CORRECTION_EMPTY: { zh: '更正内容为空', en: 'the correction changes nothing' },
  ALERT_ALREADY_OPEN: { zh: '该期限的预警已存在', en: 'an alert for this deadline is already open' },
  ALERT_NOT_OPEN: { zh: '该期限没有未结预警', en: 'no open alert for this deadline' },
  RUNG_NOT_HIGHER: { zh: '督办层级只能逐级上升', en: 'an escalation must go to a higher rung' },
  LIGHT_UNCHANGED: { zh: '亮灯状态未变化', en: 'the light is unchanged' },
  DATE_BEFORE_RAISED: {
    zh: '解决日期不能早于堵点提出日期',
    en: 'a blocker cannot be resolved before it was raised',
  },
  DATE_DUE_BEFORE_RAISED: {
    zh: '办结时限不能早于堵点提出日期',
    en: 'the due date cannot be earlier than the date the blocker was raised',
  },
  DUPLICATE_OF_ITSELF: {
    zh: '不能确认项目与其自身重复',
    en: 'a project cannot be confirmed as a duplicate of itself',
  },
  HISTORY_UNCHANGED: {
    zh: '该行内容与上次导入相同,无需再次导入',
    en: 'the row is the same as when it was last imported',
  },
  HISTORY_KEY_MISMATCH: {
    zh: '该项目不是从此台账行导入的',
    en: 'the project was not imported from this ledger row',
  },
  HISTORY_STEP_REMOVED: {
    zh: '台账中删除了已登记的内容,请在系统中更正,不能通过导入删除',
    en: 'the row no longer has a step the project has recorded; a step is never removed by an import',
  },
  HISTORY_STEP_UNKNOWN: { zh: '不能导入的办理事项', en: 'this kind of step cannot be imported' },
  HISTORY_STEP_REPEATED: {
    zh: '同一阶段在一行中出现多次',
    en: 'the row records the same stage more than once',
  },
  HISTORY_TOO_LONG: { zh: '一行中的办理事项过多', en: 'the row has too many steps' },
  HISTORY_CHANGE_NOT_CORRECTABLE: {
    zh: '该项内容导入后不能通过再次导入修改,请在系统中办理',
    en: 'this value cannot be changed by importing again; record the change in the system',
  },
} as const satisfies Record<string, { zh: string; en: string }>;

export type RefusalCode = keyof typeof REFUSAL_MESSAGES;

export function refusal(code: RefusalCode, field?: string, message?: { zh: string; en: string }): Refusal {
  const r: Refusal = { code, message: message ?? { ...REFUSAL_MESSAGES[code] } };
  if (field !== undefined) r.field = field;
  return r;
}
