import { checkInvestor, normaliseInvestor } from './field-checks';

describe("an investor's origin", () => {
  const investor = { name: ' 某某有限公司 ', type: 'private' as const, flags: [] };

  it('is optional, and a division code when given', () => {
    expect(checkInvestor(investor, 'data.investor')).toBeNull();
    expect(checkInvestor({ ...investor, origin: '440000' }, 'data.investor')).toBeNull();
    expect(checkInvestor({ ...investor, origin: null }, 'data.investor')).toBeNull();
    for (const origin of ['44', '044000', 440000, '']) {
      expect(checkInvestor({ ...investor, origin }, 'data.investor')).toMatchObject({
        code: 'INVALID_VALUE',
        field: 'data.investor.origin',
      });
    }
  });

  it('is kept through normalisation, and absent stays absent', () => {
    expect(normaliseInvestor({ ...investor, origin: '440300' })).toEqual({
      name: '某某有限公司',
      type: 'private',
      flags: [],
      origin: '440300',
    });
    expect(normaliseInvestor(investor)).toEqual({ name: '某某有限公司', type: 'private', flags: [] });
  });
});
