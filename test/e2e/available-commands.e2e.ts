import { TRANSITION_COMMANDS } from '../../libs/domain/src';
import { ApiClient, COUNTY, REGION, evidence } from '../support/api';
import { startSystem, type TestSystem } from '../support/system';

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem();
}, 120_000);
afterAll(() => system?.stop(), 60_000);

/** The transition target each command is sent with ('reopen' for Reopen). */
const TARGET_OF = Object.fromEntries(
  Object.entries(TRANSITION_COMMANDS).map(([to, type]) => [type, to]),
) as Record<string, string>;

const STAGES = ['lead', 'signed', 'started', 'dropped'] as const;

describe('GET /api/projects/{id} availableCommands', () => {
  const callers = {
    officer: { role: 'officer', regions: [COUNTY], sub: 'officer-available' },
    leader: { role: 'leader', regions: [REGION], sub: 'leader-available' },
    auditor: { role: 'auditor', regions: [], sub: 'auditor-available' },
  };

  it.each(Object.keys(callers))(
    'lists for the %s exactly the transitions its route accepts, in each stage',
    async (name) => {
      const owner = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-owner' });
      const caller = new ApiClient(system, callers[name as keyof typeof callers]);
      const outcomes: { stage: string; to: string; listed: boolean; status: number }[] = [];
      for (const stage of STAGES) {
        const probe = await owner.projectAt(stage);
        const listed = (await caller.get(`/api/projects/${probe}`).expect(200)).body
          .availableCommands as string[];
        expect(Array.isArray(listed)).toBe(true);
        // A listed transition goes to a fresh project in this stage, so that it does not move the probe;
        // a refused one records nothing, and the probe serves them all.
        for (const [type, to] of Object.entries(TARGET_OF)) {
          const id = listed.includes(type) ? await owner.projectAt(stage) : probe;
          // With the files its step needs, uploaded by the caller: what a listed command is sent with.
          const body = await caller.withEvidence(evidence(to));
          const res = await caller.write(`/api/projects/${id}/transitions`, body, {
            version: await caller.version(id),
          });
          outcomes.push({ stage, to, listed: listed.includes(type), status: res.status });
          // Refused, it says so as a client error, never a server fault.
          expect(res.status).toBeLessThan(500);
        }
      }
      const mismatched = outcomes.filter((o) => o.listed !== (o.status === 200));
      expect(mismatched).toEqual([]);
      if (name === 'auditor') expect(outcomes.filter((o) => o.listed)).toEqual([]);
      if (name === 'leader') {
        expect(outcomes.filter((o) => o.listed).map((o) => `${o.stage}→${o.to}`)).toEqual([
          'lead→dropped',
          'signed→dropped',
          'started→dropped',
          'dropped→reopen',
        ]);
      }
      if (name === 'officer') {
        expect(outcomes.filter((o) => o.listed).map((o) => `${o.stage}→${o.to}`)).toEqual(
          expect.arrayContaining(['lead→negotiating', 'lead→signed', 'signed→landed', 'started→in_stats']),
        );
        expect(outcomes.some((o) => o.stage === 'dropped' && o.listed)).toBe(false);
      }
    },
    180_000,
  );

  it('lists nothing for an officer of another county, who cannot read the project at all', async () => {
    const owner = new ApiClient(system, { role: 'officer', regions: [COUNTY], sub: 'officer-owner' });
    const far = new ApiClient(system, { role: 'officer', regions: ['420502'], sub: 'officer-far' });
    const id = await owner.projectAt('lead');
    await far.get(`/api/projects/${id}`).expect(403);
  });
});
