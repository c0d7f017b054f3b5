/**
 * Field errors in Chinese: the API's field rules are class-validator's, worded in English for API
 * clients; officers read them beside the field in Chinese.
 */

/** The API's validation rules (class-validator's names, and its patterns by their English words). */
const RULE_MESSAGES: [rule: string, english: RegExp | null, chinese: (limit: string | null) => string][] = [
  ['matches', /date YYYY-MM-DD/, () => '请按 YYYY-MM-DD 填写日期'],
  ['isISO8601', null, () => '请按 YYYY-MM-DD 填写日期'],
  ['matches', /month YYYY-MM/, () => '请按 YYYY-MM 填写月份'],
  ['matches', /yuan/, () => '金额须为数字,最多两位小数'],
  ['matches', /blank/, () => '不能为空白'],
  ['matches', /administrative division code/, () => '须为 6 位行政区划代码'],
  ['storableText', /blank/, () => '不能为空白'],
  ['isNotEmpty', null, () => '必填'],
  ['storableText', null, () => '含有不能保存的字符(控制字符或不可见字符)'],
  ['maxLength', null, (n) => (n ? `不能超过 ${n} 个字符` : '过长')],
  ['minLength', null, (n) => (n ? `至少 ${n} 个字符` : '过短')],
  ['arrayMaxSize', null, (n) => (n ? `最多 ${n} 项` : '项数过多')],
  ['arrayNotEmpty', null, () => '至少选择一项'],
  ['isIn', null, () => '请从选项中选择'],
  ['isEnum', null, () => '请从选项中选择'],
  ['isInt', null, () => '须为整数'],
  ['isBoolean', null, () => '须为是或否'],
  ['min', null, (n) => (n ? `不能小于 ${n}` : '过小')],
  ['max', null, (n) => (n ? `不能大于 ${n}` : '过大')],
  ['isEmail', null, () => '电子邮箱格式不正确'],
  ['isString', null, () => '须为文字'],
  ['whitelistValidation', null, () => '不应提交此项'],
];

/** A field's rule in Chinese when it is one of the API's known rules; else the API's own words. */
export function chineseRuleMessage(error: { rule: string; message: string }): string {
  const limit = /(\d+)/.exec(error.message)?.[1] ?? null;
  const known = RULE_MESSAGES.find(
    ([rule, english]) => rule === error.rule && (!english || english.test(error.message)),
  );
  return known ? known[2](limit) : error.message;
}
