import type { Actor } from './actor';
import { inScope } from './field-checks';
import {
  commandsOn,
  mayRead,
  mayReadWorkOf,
  readableProjectsSql,
  rolesIssuing,
  rolesWith,
} from './permissions';
import {
  actingScope,
  narrowScope,
  positionalParameters,
  readingScope,
  regionsCovering,
  regionsScope,
  scopeCovers,
  scopeSql,
} from './region-scope';

const officer = (regions: string[]): Actor => ({ id: 'o1', role: 'officer', regions });

describe('region scope', () => {
  it('covers a county by itself, a city its counties, a province its cities and counties', () => {
    const scope = regionsScope(['420506', '420500', '440000']);
    expect(scopeCovers(scope, '420506')).toBe(true);
    expect(scopeCovers(scope, '420502')).toBe(true);
    expect(scopeCovers(scope, '440305')).toBe(true);
    expect(scopeCovers(scope, '420600')).toBe(false);
    expect(scopeCovers(scope, null)).toBe(false);
    expect(scopeCovers(regionsScope(['420506']), '420500')).toBe(false);
  });

  it('reads everywhere for auditors and admins, acts everywhere only for the system', () => {
    const auditor: Actor = { id: 'a', role: 'auditor', regions: [] };
    expect(readingScope(auditor)).toEqual({ everywhere: true });
    expect(actingScope(auditor)).toEqual({ everywhere: false, codes: [] });
    expect(actingScope({ id: 'system', role: 'system', regions: [] })).toEqual({ everywhere: true });
    expect(readingScope(officer(['420500']))).toEqual({ everywhere: false, codes: ['420500'] });
  });

  it('names the codes that cover a region, each as regionCovers decides', () => {
    expect(regionsCovering('420506')).toEqual(['420506', '420500', '420000']);
    expect(regionsCovering('420500')).toEqual(['420500', '420000']);
    expect(regionsCovering('420000')).toEqual(['420000']);
    for (const code of regionsCovering('420506'))
      expect(scopeCovers(regionsScope([code]), '420506')).toBe(true);
  });

  it('narrows a scope to the region a reader filters by', () => {
    expect(narrowScope(regionsScope(['420500']), '420506')).toEqual(regionsScope(['420506']));
    expect(narrowScope(regionsScope(['420506', '420502', '430100']), '420500')).toEqual(
      regionsScope(['420506', '420502']),
    );
    expect(narrowScope({ everywhere: true }, '420000')).toEqual(regionsScope(['420000']));
    expect(narrowScope(regionsScope(['430100']), '420500')).toEqual(regionsScope([]));
  });

  it('yields the SQL condition with its parameters, TRUE everywhere and FALSE for no region', () => {
    const params: unknown[] = ['first'];
    const sql = scopeSql(
      regionsScope(['420506', '420500', '440000']),
      'p.region',
      positionalParameters(params),
    );
    expect(sql).toBe('(p.region = ANY($2) OR p.region LIKE ANY($3))');
    expect(params).toEqual(['first', ['420506', '420500', '440000'], ['4205%', '44%']]);
    expect(scopeSql({ everywhere: true }, 'x', positionalParameters([]))).toBe('TRUE');
    expect(scopeSql(regionsScope([]), 'x', positionalParameters([]))).toBe('FALSE');
  });

  it('adds a chief officer’s own projects to what they read', () => {
    const params: unknown[] = [];
    const chief: Actor = { id: 'c9', role: 'chief_officer', regions: ['420506'] };
    expect(
      readableProjectsSql(chief, { region: 'r', chiefServiceOfficerId: 'c' }, positionalParameters(params)),
    ).toBe('((r = ANY($1)) OR c = $2)');
    expect(params).toEqual([['420506'], 'c9']);
    expect(mayRead(chief, { region: '110101', chiefServiceOfficerId: 'c9' })).toBe(true);
    expect(mayRead(chief, { region: '110101', chiefServiceOfficerId: 'c8' })).toBe(false);
  });
});

describe('permissions as routes and pages ask for them', () => {
  it('derives who may call a route from the commands it sends', () => {
    expect(rolesIssuing('RegisterLead')).toEqual(['officer', 'chief_officer']);
    expect(rolesIssuing('Sign', 'Drop', 'Reopen')).toEqual(['officer', 'chief_officer', 'leader']);
    expect(rolesIssuing('ExtendDeadline')).toEqual(['leader']);
    expect(rolesWith('audit.read')).toEqual(['auditor', 'admin']);
    expect(rolesWith('policy.manage')).toEqual(['admin']);
  });

  it('answers what a person may send to a project now', () => {
    const project = { region: '420506', chiefServiceOfficerId: null };
    const mine = commandsOn(officer(['420500']), project);
    expect(mine).toContain('Sign');
    expect(mine).not.toContain('ExtendDeadline');
    expect(mine).not.toContain('RaiseAlert');
    expect(commandsOn(officer(['430100']), project)).toEqual([]);
    expect(commandsOn({ id: 'l', role: 'leader', regions: ['420000'] }, project)).toEqual([
      'ExtendDeadline',
      'Reopen',
      'Drop',
      'AssignServiceOfficer',
      'AssignChiefServiceOfficer',
    ]);
  });
});

describe('the regions a command names', () => {
  const now = '2025-03-10T02:00:00.000Z';
  const context = (actor: Actor) => ({ actor, now });

  it('lie where the actor acts, as the acting scope decides for every code and region', () => {
    const actors: Actor[] = [
      officer(['420506']),
      officer(['420500', '440305']),
      { id: 'l', role: 'leader', regions: ['420000'] },
      { id: 'c', role: 'chief_officer', regions: [] },
      { id: 'system', role: 'system', regions: [] },
    ];
    const regions = ['420506', '420502', '420600', '440305', '440300', '110105'];
    for (const actor of actors)
      for (const region of regions)
        expect([actor.regions, region, inScope(context(actor), region)]).toEqual([
          actor.regions,
          region,
          scopeCovers(actingScope(actor), region),
        ]);
    expect(inScope(context(officer(['420500'])), '420506')).toBe(true);
    expect(inScope(context(officer(['420500'])), '420600')).toBe(false);
    expect(inScope(context({ id: 'system', role: 'system', regions: [] }), '110105')).toBe(true);
  });
});

describe('what a person did outside any project', () => {
  it('is read by that person, and by whoever reads everywhere', () => {
    expect(mayReadWorkOf(officer(['420506']), 'o1')).toBe(true);
    expect(mayReadWorkOf(officer(['420506']), 'o2')).toBe(false);
    expect(mayReadWorkOf({ id: 'l', role: 'leader', regions: ['420000'] }, 'o1')).toBe(false);
    expect(mayReadWorkOf({ id: 'c', role: 'chief_officer', regions: ['420506'] }, 'o1')).toBe(false);
    expect(mayReadWorkOf({ id: 'a', role: 'auditor', regions: [] }, 'o1')).toBe(true);
    expect(mayReadWorkOf({ id: 'd', role: 'admin', regions: [] }, 'o1')).toBe(true);
  });
});
