import fc from 'fast-check';
import {
  addYuan,
  divideToDecimal,
  formatYuan,
  fromWanYuan,
  normaliseYuan,
  parseYuan,
  sizeBand,
  toWanYuan,
  toYiYuan,
  tryParseYuan,
} from './money';

describe('money in exact 分', () => {
  it('parses yuan decimals into integer 分', () => {
    expect(parseYuan('150000000')).toBe(15000000000n);
    expect(parseYuan('0.1')).toBe(10n);
    expect(parseYuan('-12.34')).toBe(-1234n);
    expect(tryParseYuan('1e8')).toBeNull();
    expect(tryParseYuan('1.234')).toBeNull();
    expect(tryParseYuan(100)).toBeNull();
  });

  it('adds without binary floating point: 0.1 + 0.2 = 0.30', () => {
    expect(addYuan('0.1', '0.2')).toBe('0.30');
  });

  it('formats and normalises', () => {
    expect(formatYuan(15000000000n)).toBe('150000000.00');
    expect(formatYuan(-5n)).toBe('-0.05');
    expect(normaliseYuan('1.5')).toBe('1.50');
  });

  it('shows 万元 and 亿元', () => {
    expect(toWanYuan('150000000')).toBe('15000.00');
    expect(toYiYuan('150000000')).toBe('1.50');
    expect(toYiYuan('123456789.99', 4)).toBe('1.2346');
    expect(toWanYuan('5000')).toBe('0.50');
    expect(fromWanYuan('500')).toBe('5000000.00');
  });

  it('rounds half away from zero', () => {
    expect(divideToDecimal(1n, 8n, 2)).toBe('0.13');
    expect(divideToDecimal(-1n, 8n, 2)).toBe('-0.13');
    expect(divideToDecimal(2n, 3n, 0)).toBe('1');
  });

  it('bands sizes as the reports do', () => {
    expect(sizeBand('99999999.99')).toBe('below_100m');
    expect(sizeBand('100000000')).toBe('100m_plus');
    expect(sizeBand('1000000000')).toBe('1b_plus');
    expect(sizeBand('10000000000')).toBe('10b_plus');
  });

  it('round-trips any amount in 分', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 17n) + 1n, max: 10n ** 17n - 1n }), (fen) => {
        expect(parseYuan(formatYuan(fen))).toBe(fen);
      }),
    );
  });
});
