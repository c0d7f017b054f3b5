import type { Digest } from '@app/domain';
import {
  DIGEST_ITEMS_PER_SECTION,
  renderDigestDingTalk,
  renderDigestEmail,
  renderDigestWeCom,
} from './digest';

const digest: Digest = {
  day: '2026-10-10',
  personId: 'p1',
  personName: '王科长',
  alerts: [
    {
      projectId: 'p/1',
      projectName: '智能*装备<园>',
      ruleLabel: '签约后开工',
      dueDate: '2026-10-01',
      rung: 2,
    },
  ],
  redLights: [{ projectId: 'p2', projectName: '新材料基地', stageLabel: '签约' }],
  supervision: [],
  quiet: [],
};

describe('the digest as each channel carries it', () => {
  it('lists each item with a link to its project, and only the sections that have items', () => {
    const md = renderDigestWeCom(digest, 'http://console.test/').markdown.content;
    expect(md).toContain('**未关闭的预警与升级督办（1）**');
    expect(md).toContain('](http://console.test/projects/p%2F1)');
    expect(md).toContain('智能\\*装备\\<园\\>');
    expect(md).toContain('**红灯项目（1）**');
    expect(md).not.toContain('督办事项');
  });

  it('mentions the person on DingTalk by mobile only when it is one', () => {
    expect(renderDigestDingTalk(digest, 'http://c', '13800138000').at.atMobiles).toEqual(['13800138000']);
    expect(renderDigestDingTalk(digest, 'http://c', '12345').at.atMobiles).toEqual([]);
    expect(renderDigestDingTalk(digest, 'http://c').markdown.title).toBe('【每日待办】2026-10-10 王科长');
  });

  it('writes e-mail as plain text and escaped HTML', () => {
    const mail = renderDigestEmail(digest, 'http://console.test');
    expect(mail.subject).toBe('【每日待办】2026-10-10 王科长');
    expect(mail.text).toContain('- 智能*装备<园>：签约后开工（第2级，到期日 2026-10-01）');
    expect(mail.text).toContain('http://console.test/projects/p2');
    expect(mail.html).toContain('智能*装备&lt;园&gt;');
    expect(mail.html).not.toContain('<园>');
  });

  it('keeps a long list short and says how many more there are', () => {
    const many = Array.from({ length: DIGEST_ITEMS_PER_SECTION + 3 }, (_, i) => ({
      projectId: `q${i}`,
      projectName: `项目${'长'.repeat(80)}${i}`,
      stageLabel: '在谈',
      lastUpdated: '2026-08-01',
    }));
    const md = renderDigestWeCom(
      {
        ...digest,
        quiet: many,
        alerts: many.map((m) => ({ ...m, ruleLabel: '规'.repeat(80), dueDate: '2026-09-01', rung: 4 })),
      },
      'http://console.test',
    ).markdown.content;
    expect(md).toContain('另有3项');
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(4096);
  });
});
