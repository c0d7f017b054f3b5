import { columnForHeader, LEDGER_COLUMNS, matchColumns, normaliseHeader } from './columns';
import { regionCode, regionLabel } from './regions';

describe('the column catalogue', () => {
  it('names every column once, by a header no other column claims', () => {
    const keys = LEDGER_COLUMNS.map((c) => c.key);
    expect(new Set(keys).size).toBe(keys.length);
    const seen = new Map<string, string>();
    for (const c of LEDGER_COLUMNS) {
      for (const h of [c.header, ...c.synonyms]) {
        const text = normaliseHeader(h).text;
        expect(seen.get(text) ?? c.key).toBe(c.key);
        seen.set(text, c.key);
      }
    }
  });

  it.each([
    ['项目名称', 'name'],
    ['投资方', 'investorName'],
    ['投资主体', 'investorName'],
    ['企业名称', 'investorName'],
    ['所属县市区', 'region'],
    ['产业链', 'industryChain'],
    ['所属产业', 'industryChain'],
    ['是否工业项目', 'industrial'],
    ['计划总投资', 'plannedInvestment'],
    ['协议投资', 'contractInvestment'],
    ['签约时间', 'contractDate'],
    ['统一社会信用代码', 'creditCode'],
    ['施工许可证号', 'permitNumber'],
    ['入库时间', 'inStatsDate'],
    ['项目统计代码', 'statisticsCode'],
    ['投产时间', 'productionDate'],
    ['到位资金', 'fundsArrived'],
    ['项目状态', 'status'],
    ['服务专员', 'serviceOfficer'],
    ['备注', 'note'],
    [' 项目\n名称 ', 'name'],
    ['签约时间（年月日）', 'contractDate'],
    ['*项目名称', 'name'],
    ['所属县（市、区）', 'region'],
    ['县(市区)', 'region'],
  ])('reads %j as %s', (header, key) => {
    expect(columnForHeader(header)).toBe(key);
  });

  it('takes the unit out of a header: brackets full-width or not, or a bare unit after an amount', () => {
    expect(normaliseHeader('计划总投资（万元）')).toEqual({ text: '计划总投资', unit: 'wan' });
    expect(normaliseHeader('计划总投资(亿元)')).toEqual({ text: '计划总投资', unit: 'yi' });
    expect(normaliseHeader('合同投资【元】')).toEqual({ text: '合同投资', unit: 'yuan' });
    expect(normaliseHeader('到位资金(单位:万元)')).toEqual({ text: '到位资金', unit: 'wan' });
    expect(normaliseHeader('到位资金万元')).toEqual({ text: '到位资金', unit: 'wan' });
    expect(normaliseHeader('计划\n总投资\n（亿元）')).toEqual({ text: '计划总投资', unit: 'yi' });
    expect(normaliseHeader('项目名称')).toEqual({ text: '项目名称', unit: null });
  });
});

describe('matchColumns', () => {
  it('maps known headers with their unit (万元 when the header names none) and leaves the others unmapped', () => {
    const mapping = matchColumns([
      '序号',
      '项目名称',
      '计划总投资（亿元）',
      '合同投资',
      '到位资金(元)',
      '签约时间',
    ]);
    expect(mapping).toEqual({
      序号: { key: null, unit: null },
      项目名称: { key: 'name', unit: null },
      '计划总投资（亿元）': { key: 'plannedInvestment', unit: 'yi' },
      合同投资: { key: 'contractInvestment', unit: 'wan' },
      '到位资金(元)': { key: 'fundsArrived', unit: 'yuan' },
      签约时间: { key: 'contractDate', unit: null },
    });
  });

  it('keeps a column with the first header that names it', () => {
    const mapping = matchColumns(['投资方', '企业名称']);
    expect(mapping['投资方'].key).toBe('investorName');
    expect(mapping['企业名称'].key).toBeNull();
  });

  it('lets a saved mapping name a header the catalogue does not know, and ignore one it does', () => {
    const mapping = matchColumns(['客户', '项目名称', '投资方'], { 客户: 'investorName', 投资方: null });
    expect(mapping['客户']).toEqual({ key: 'investorName', unit: null });
    expect(mapping['项目名称'].key).toBe('name');
    expect(mapping['投资方'].key).toBeNull();
  });
});

describe('regionCode (GB/T 2260)', () => {
  it('reads a county bare, under its city, under its province and city, and by code', () => {
    expect(regionCode('西陵区')).toBe('420502');
    expect(regionCode('宜昌市西陵区')).toBe('420502');
    expect(regionCode('湖北省宜昌市西陵区')).toBe('420502');
    expect(regionCode(' 湖北省 宜昌市 西陵区 ')).toBe('420502');
    expect(regionCode('420502')).toBe('420502');
    expect(regionCode('420502000000')).toBe('420502');
  });

  it('reads cities, provinces and a municipality district', () => {
    expect(regionCode('宜昌市')).toBe('420500');
    expect(regionCode('湖北省')).toBe('420000');
    expect(regionCode('北京市朝阳区')).toBe('110105');
    expect(regionCode('仙桃市')).toBe('429004');
  });

  it('resolves an ambiguous bare name only with its city', () => {
    expect(regionCode('朝阳区')).toBeNull();
    expect(regionCode('长春市朝阳区')).toBe('220104');
  });

  it('knows no made-up name or code', () => {
    expect(regionCode('火星市')).toBeNull();
    expect(regionCode('999999')).toBeNull();
    expect(regionCode('')).toBeNull();
  });

  it('labels a code with a name it reads back', () => {
    for (const code of ['420502', '110105', '220104', '420500', '420000', '429004']) {
      expect(regionCode(regionLabel(code)!)).toBe(code);
    }
    expect(regionLabel('420502')).toBe('西陵区');
    expect(regionLabel('110105')).toBe('北京市朝阳区');
  });
});
