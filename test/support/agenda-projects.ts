import { daysAgo, evidence, type ApiClient } from './api';

// Projects a 调度会 list must show, registered and moved through the API as officers would.

/** Signed in June 2024 and never landed: its deadlines missed long ago, red and escalated. */
export async function signedLongAgo(officer: ApiClient, name: string, region: string): Promise<string> {
  const id = await officer.projectAt('lead', { leadDate: '2024-05-01', name, region });
  await officer.command(id, '/transitions', { ...evidence('signed'), contractDate: '2024-06-01' });
  return id;
}

/** A lead with a land blocker (B-1, 自然资源局) raised thirty days ago and due twenty days ago. */
export async function blockedLead(
  officer: ApiClient,
  name: string,
  region: string,
  description: string,
): Promise<string> {
  const id = await officer.projectAt('lead', { leadDate: daysAgo(40), name, region });
  await officer.command(id, '/blockers', {
    blockerId: 'B-1',
    category: 'land',
    description,
    responsibleDepartment: '自然资源局',
    raisedDate: daysAgo(30),
    dueDate: daysAgo(20),
  });
  return id;
}
