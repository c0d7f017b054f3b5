import { stageDateColumns, stageOn, stageOnSql, type StageDates } from './stage-on';

const none: StageDates = {
  lead: null,
  negotiating: null,
  signed: null,
  landed: null,
  started: null,
  in_stats: null,
  producing: null,
  dropped: null,
};
const carried: StageDates = {
  ...none,
  lead: '2024-11-02',
  negotiating: '2025-01-10',
  signed: '2025-03-01',
  landed: '2025-05-20',
  started: '2025-08-08',
};

describe('stageOn', () => {
  it('is the latest stage reached by the end of the day, each stage from its own day on', () => {
    expect(stageOn(carried, '2024-11-01')).toBeNull();
    expect(stageOn(carried, '2024-11-02')).toBe('lead');
    expect(stageOn(carried, '2025-01-09')).toBe('lead');
    expect(stageOn(carried, '2025-01-10')).toBe('negotiating');
    expect(stageOn(carried, '2025-03-01')).toBe('signed');
    expect(stageOn(carried, '2025-06-30')).toBe('landed');
    expect(stageOn(carried, '2025-12-31')).toBe('started');
  });

  it('reads a drop from its day, and a stage skipped (an imported ledger without 在谈) as not there', () => {
    const dropped = { ...carried, dropped: '2025-09-01' };
    expect(stageOn(dropped, '2025-08-31')).toBe('started');
    expect(stageOn(dropped, '2025-09-01')).toBe('dropped');
    const imported = { ...none, signed: '2020-04-01', landed: '2020-06-01' };
    expect(stageOn(imported, '2020-03-31')).toBeNull();
    expect(stageOn(imported, '2020-05-01')).toBe('signed');
  });

  it('writes the same decision as SQL over the read model’s date columns, latest stage first', () => {
    const sql = stageOnSql(stageDateColumns('p'), '$1');
    expect(sql).toBe(
      "(CASE WHEN p.dropped_date <= $1 THEN 'dropped' WHEN p.production_date <= $1 THEN 'producing' " +
        "WHEN p.in_stats_date <= $1 THEN 'in_stats' WHEN p.started_date <= $1 THEN 'started' " +
        "WHEN p.landed_date <= $1 THEN 'landed' WHEN p.signed_date <= $1 THEN 'signed' " +
        "WHEN p.talks_date <= $1 THEN 'negotiating' WHEN p.lead_date <= $1 THEN 'lead' END)",
    );
  });
});
