import {
  cellText,
  dateToExcelSerial,
  decimalString,
  excelSerialToDate,
  parseAmount,
  parseBoolean,
  parseDate,
  parseMonth,
} from './values';

describe('amounts to exact yuan', () => {
  it.each([
    [1.1, 'yi', '110000000.00'],
    [0.1, 'yi', '10000000.00'],
    ['1.1', 'yi', '110000000.00'],
    [500, 'wan', '5000000.00'],
    [1234.5678, 'wan', '12345678.00'],
    [1.234567, 'wan', '12345.67'],
    [12345.67, 'yuan', '12345.67'],
    ['1,234.5', 'wan', '12345000.00'],
    [' 8 000 ', 'yuan', '8000.00'],
    ['500万元', 'yuan', '5000000.00'],
    ['2亿元', 'wan', '200000000.00'],
    ['300元', 'wan', '300.00'],
    ['１２３', 'wan', '1230000.00'],
    ['-5', 'wan', '-50000.00'],
    ['.5', 'wan', '5000.00'],
    [0, 'wan', '0.00'],
    ['1.2E+07', 'yuan', '12000000.00'],
    ['1.5e3', 'wan', '15000000.00'],
  ] as const)('%j in %s is %s', (cell, unit, yuan) => {
    expect(parseAmount(cell, unit)).toBe(yuan);
  });

  it("rounds a formula's binary noise to the fen, never through a float", () => {
    expect(parseAmount(0.1 + 0.2, 'wan')).toBe('3000.00');
    expect(parseAmount(0.1 + 0.2, 'yuan')).toBe('0.30');
    expect(parseAmount(1.005, 'yuan')).toBe('1.01');
    expect(parseAmount(123456789.12345679, 'wan')).toBe('1234567891234.57');
  });

  it.each([['abc'], ['12.3.4'], ['约500'], [''], [true], [new Date()], [Number.NaN], ['.']])(
    '%j is not an amount',
    (cell) => {
      expect(parseAmount(cell, 'wan')).toBeNull();
    },
  );

  it('writes numbers as their shortest decimal, exponents spelled out', () => {
    expect(decimalString(1.1)).toBe('1.1');
    expect(decimalString(1e21)).toBe('1000000000000000000000');
    expect(decimalString(1.5e-7)).toBe('0.00000015');
    expect(decimalString(-2.5e-7)).toBe('-0.00000025');
    expect(decimalString(Number.POSITIVE_INFINITY)).toBeNull();
  });
});

describe('dates', () => {
  it.each([
    ['2025-03-01'],
    ['2025/3/1'],
    ['2025.3.1'],
    ['2025年3月1日'],
    ['2025 年 3 月 1 日'],
    ['2025-3-1 00:00:00'],
    ['20250301'],
    ['２０２５－０３－０１'],
    [45717],
    [45717.75],
    [new Date(Date.UTC(2025, 2, 1))],
  ])('%j is 2025-03-01', (cell) => {
    expect(parseDate(cell)).toBe('2025-03-01');
  });

  it.each([['2025-02-30'], ['2025/13/1'], ['三月一日'], ['2025年3月'], [-3], [2_000_000], [true], ['']])(
    '%j is not a date',
    (cell) => {
      expect(parseDate(cell)).toBeNull();
    },
  );

  it('counts serials from Excel’s epoch, either way', () => {
    expect(excelSerialToDate(1)).toBe('1899-12-31');
    expect(excelSerialToDate(61)).toBe('1900-03-01');
    expect(dateToExcelSerial('2025-03-01')).toBe(45717);
    expect(excelSerialToDate(dateToExcelSerial('2020-02-29'))).toBe('2020-02-29');
  });

  it('reads months', () => {
    expect(parseMonth('2025-03')).toBe('2025-03');
    expect(parseMonth('2025/3')).toBe('2025-03');
    expect(parseMonth('2025年3月')).toBe('2025-03');
    expect(parseMonth('2025-03-15')).toBe('2025-03');
    expect(parseMonth('2025-13')).toBeNull();
  });
});

describe('booleans and text', () => {
  it('reads 是/否 and their usual spellings', () => {
    for (const yes of ['是', 'Y', 'yes', 'TRUE', '√', 1, true]) expect(parseBoolean(yes)).toBe(true);
    for (const no of ['否', 'N', 'no', 'false', '×', 0, false]) expect(parseBoolean(no)).toBe(false);
    for (const neither of ['也许', 2, null]) expect(parseBoolean(neither)).toBeNull();
  });

  it('shows cells as people read them', () => {
    expect(cellText(new Date(Date.UTC(2025, 2, 1)))).toBe('2025-03-01');
    expect(cellText(1.1)).toBe('1.1');
    expect(cellText(true)).toBe('是');
    expect(cellText('  甲  ')).toBe('甲');
    expect(cellText(null)).toBe('');
  });
});
