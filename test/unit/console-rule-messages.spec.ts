import { chineseRuleMessage } from '../../apps/web/src/api/rule-messages';

describe("chineseRuleMessage: the API's field rules as an officer reads them beside the field", () => {
  it.each([
    [
      { rule: 'maxLength', message: 'name must be shorter than or equal to 200 characters' },
      '不能超过 200 个字符',
    ],
    [{ rule: 'matches', message: 'signedDate must be a date YYYY-MM-DD' }, '请按 YYYY-MM-DD 填写日期'],
    [{ rule: 'matches', message: 'month must be a month YYYY-MM' }, '请按 YYYY-MM 填写月份'],
    [
      {
        rule: 'matches',
        message: 'amount must be yuan as a decimal string with at most two decimals, e.g. "150000000.00"',
      },
      '金额须为数字,最多两位小数',
    ],
    [{ rule: 'matches', message: 'note must not be blank' }, '不能为空白'],
    [{ rule: 'storableText', message: 'note must not be blank' }, '不能为空白'],
    [
      { rule: 'storableText', message: 'note: must not contain control characters' },
      '含有不能保存的字符(控制字符或不可见字符)',
    ],
    [
      { rule: 'matches', message: 'region must be a 6-digit administrative division code' },
      '须为 6 位行政区划代码',
    ],
    [{ rule: 'isNotEmpty', message: 'name should not be empty' }, '必填'],
    [{ rule: 'min', message: 'signingYear must not be less than 1949' }, '不能小于 1949'],
  ])('%j → %s', (error, chinese) => expect(chineseRuleMessage(error)).toBe(chinese));

  it("keeps the API's words for a rule it does not know, e.g. a pattern of its own", () => {
    const error = { rule: 'matches', message: 'phone must be a mobile or landline number' };
    expect(chineseRuleMessage(error)).toBe(error.message);
    expect(chineseRuleMessage({ rule: 'somethingNew', message: 'x is wrong' })).toBe('x is wrong');
  });
});
