import { MOBILE_PATTERN, personalChannelsOf, withoutChannelSql } from './people';

describe('a person’s own channels', () => {
  it('are their e-mail and their mobile, in that order', () => {
    expect(personalChannelsOf({ email: 'li@yichang.gov.cn', phone: '13800138000' })).toEqual([
      'email',
      'mobile',
    ]);
    expect(personalChannelsOf({ email: null, phone: '13800138000' })).toEqual(['mobile']);
    expect(personalChannelsOf({ email: 'li@yichang.gov.cn', phone: null })).toEqual(['email']);
  });

  it('leave out a landline, which no robot can @-mention, so a person with only one has none', () => {
    expect(personalChannelsOf({ email: null, phone: '0717-6222222' })).toEqual([]);
    expect(personalChannelsOf({ email: null, phone: null })).toEqual([]);
  });

  it('are judged in SQL by the same mobile rule', () => {
    const sql = withoutChannelSql('p.phone', 'p.email');
    expect(sql).toBe(`(p.email IS NULL AND (p.phone IS NULL OR p.phone !~ '${MOBILE_PATTERN.source}'))`);
    expect(MOBILE_PATTERN.source).not.toContain("'");
  });
});
