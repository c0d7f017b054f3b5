import { wanToYuan } from '../../apps/web/src/pages/project-actions/amounts';

describe('wanToYuan: an amount typed in 万元, as the exact yuan string the API takes', () => {
  it.each([
    ['3000.5', '30005000.00'],
    [' 500 ', '5000000.00'],
    ['0.000001', '0.01'],
    ['12345678901.123456', '123456789011234.56'],
  ])('%s 万元 is %s 元', (wan, yuan) => expect(wanToYuan(wan)).toBe(yuan));

  it('takes a negative amount only where one is allowed (an adjustment of funds arrived)', () => {
    expect(wanToYuan('-12.5', { signed: true })).toBe('-125000.00');
    expect(wanToYuan('-12.5')).toBeNull();
  });

  it.each(['', '三千', '1.0000001', '1e3', '1,000', '--1', '.5'])(
    'refuses %p: not an exact 万元 amount',
    (wan) => expect(wanToYuan(wan, { signed: true })).toBeNull(),
  );
});
