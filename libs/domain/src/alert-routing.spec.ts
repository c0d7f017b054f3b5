import {
  addresseeCandidatesSql,
  alertRegion,
  channelsFor,
  routeAlert,
  type RoutablePerson,
  type RoutableRobot,
} from './alert-routing';
import type { Addressee } from './alerts';
import { positionalParameters, scopeCovers, regionsScope } from './region-scope';

const COUNTY = '420506';
const CITY = '420500';
const OTHER_COUNTY = '420502';

function person(over: Partial<RoutablePerson> & { personId: string }): RoutablePerson {
  return {
    name: over.personId,
    role: 'officer',
    regions: [COUNTY],
    phone: null,
    email: null,
    active: true,
    ...over,
  };
}

function robot(over: Partial<RoutableRobot> & { robotId: string }): RoutableRobot {
  return { kind: 'dingtalk', region: COUNTY, department: null, enabled: true, ...over };
}

const deputy: Addressee = { kind: 'deputy_leader', role: 'leader', label: '分管领导', region: COUNTY };
const named: Addressee = { kind: 'service_officer', role: 'officer', label: '服务专员', id: 'li' };

describe('routing an alert to people', () => {
  it('sends an alert by id to that person only, on e-mail and on both robots with an @-mention', () => {
    const routing = routeAlert({
      addressee: named,
      region: COUNTY,
      people: [
        person({ personId: 'li', email: 'li@yichang.gov.cn', phone: '13800138000' }),
        person({ personId: 'wang', email: 'wang@yichang.gov.cn' }),
      ],
      robots: [robot({ robotId: 'd1' }), robot({ robotId: 'w1', kind: 'wecom' })],
    });
    expect(routing.unreached).toBe(false);
    expect(routing.recipients).toEqual([
      {
        personId: 'li',
        name: 'li',
        channels: [
          { channel: 'email', address: 'li@yichang.gov.cn' },
          { channel: 'dingtalk', robotId: 'd1', mention: '13800138000' },
          { channel: 'wecom', robotId: 'w1', mention: '13800138000' },
        ],
      },
    ]);
  });

  it('sends an alert by role to every holder whose regions cover its region, as the inbox decides', () => {
    const people = [
      person({ personId: 'county-leader', role: 'leader', regions: [COUNTY], email: 'a@x.cn' }),
      person({ personId: 'city-leader', role: 'leader', regions: [CITY], email: 'b@x.cn' }),
      person({ personId: 'other-leader', role: 'leader', regions: [OTHER_COUNTY], email: 'c@x.cn' }),
      person({ personId: 'officer', role: 'officer', regions: [COUNTY], email: 'd@x.cn' }),
      person({ personId: 'retired', role: 'leader', regions: [COUNTY], email: 'e@x.cn', active: false }),
    ];
    const routing = routeAlert({ addressee: deputy, region: COUNTY, people, robots: [] });
    expect(routing.recipients.map((r) => r.personId)).toEqual(['city-leader', 'county-leader']);
    for (const p of people) {
      const inboxWouldShow = p.active && p.role === 'leader' && scopeCovers(regionsScope(p.regions), COUNTY);
      expect(routing.recipients.some((r) => r.personId === p.personId)).toBe(inboxWouldShow);
    }
  });

  it('takes the robot of the person’s own region first, then the nearest one covering the alert', () => {
    const robots = [
      robot({ robotId: 'county' }),
      robot({ robotId: 'city', region: CITY }),
      robot({ robotId: 'elsewhere', region: OTHER_COUNTY }),
      robot({ robotId: 'off', enabled: false }),
    ];
    const cityLeader = person({ personId: 'c', role: 'leader', regions: [CITY] });
    expect(channelsFor(cityLeader, COUNTY, robots)).toEqual([
      { channel: 'dingtalk', robotId: 'city', mention: null },
    ]);
    const officer = person({ personId: 'o', regions: [COUNTY] });
    expect(channelsFor(officer, COUNTY, robots)).toEqual([
      { channel: 'dingtalk', robotId: 'county', mention: null },
    ]);
    expect(channelsFor(officer, COUNTY, [robots[2], robots[3]])).toEqual([]);
  });

  it('does not @-mention a landline', () => {
    const p = person({ personId: 'p', phone: '0717-6222222' });
    expect(channelsFor(p, COUNTY, [robot({ robotId: 'd' })])).toEqual([
      { channel: 'dingtalk', robotId: 'd', mention: null },
    ]);
  });

  it('says why an alert reaches nobody', () => {
    expect(routeAlert({ addressee: deputy, region: COUNTY, people: [], robots: [] })).toEqual({
      recipients: [],
      unreached: true,
      causes: [{ reason: 'no_holder' }],
    });
    expect(routeAlert({ addressee: named, region: COUNTY, people: [], robots: [] }).causes).toEqual([
      { reason: 'unknown_person', personId: 'li' },
    ]);
    const silent = routeAlert({
      addressee: named,
      region: COUNTY,
      people: [person({ personId: 'li' })],
      robots: [],
    });
    expect(silent).toMatchObject({ unreached: true, causes: [{ reason: 'no_channel', personId: 'li' }] });
    const mobileOnly = routeAlert({
      addressee: named,
      region: COUNTY,
      people: [person({ personId: 'li', phone: '13800138000' })],
      robots: [robot({ robotId: 'elsewhere', region: OTHER_COUNTY })],
    });
    expect(mobileOnly).toMatchObject({ unreached: true, causes: [{ reason: 'no_robot', personId: 'li' }] });
  });

  it('is reached when one holder of several has a channel, and names the one who has none', () => {
    const routing = routeAlert({
      addressee: deputy,
      region: COUNTY,
      people: [
        person({ personId: 'a', role: 'leader', email: 'a@x.cn' }),
        person({ personId: 'b', role: 'leader' }),
      ],
      robots: [],
    });
    expect(routing.unreached).toBe(false);
    expect(routing.causes).toEqual([{ reason: 'no_channel', personId: 'b' }]);
  });

  it('finds the alert’s region on the addressee, else on the project', () => {
    expect(alertRegion(deputy, OTHER_COUNTY)).toBe(COUNTY);
    expect(alertRegion(named, OTHER_COUNTY)).toBe(OTHER_COUNTY);
    expect(alertRegion(named, null)).toBeNull();
  });

  it('narrows the people read in SQL to the candidates the rule may pick', () => {
    const params: unknown[] = [];
    expect(addresseeCandidatesSql(deputy, COUNTY, positionalParameters(params))).toBe(
      '(role = $1 AND regions && $2::text[])',
    );
    expect(params).toEqual(['leader', [COUNTY, CITY, '420000']]);
    const byId: unknown[] = [];
    expect(addresseeCandidatesSql(named, COUNTY, positionalParameters(byId))).toBe('person_id = $1');
    expect(addresseeCandidatesSql(deputy, null, positionalParameters([]))).toBe('FALSE');
  });
});
