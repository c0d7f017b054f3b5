import {
  escapeHtml,
  escapeMarkdown,
  projectLink,
  renderDingTalk,
  renderEmail,
  renderWeCom,
  type AlertNotice,
} from './render';

const notice: AlertNotice = {
  projectId: 'c0ffee00-0000-4000-8000-000000000001',
  projectName: '新能源电池*基地[二期]<一号>',
  region: '瓯海区',
  stageLabel: '签约',
  ruleLabel: '签约后30日内注册公司',
  dueDate: '2026-12-10',
  rung: 2,
  addresseeLabel: '张主任',
  consoleUrl: 'https://console.example.gov.cn/',
};
const link = 'https://console.example.gov.cn/projects/c0ffee00-0000-4000-8000-000000000001';

describe('escaping user text', () => {
  it('backslash-escapes markdown punctuation and folds line breaks, leaving Chinese and dates alone', () => {
    expect(escapeMarkdown('A*B_[c](d)<e>&`f`|~\\')).toBe('A\\*B\\_\\[c\\]\\(d\\)\\<e\\>\\&\\`f\\`\\|\\~\\\\');
    expect(escapeMarkdown('第一行\n# 标题\r\n- 列表')).toBe('第一行 # 标题 - 列表');
    expect(escapeMarkdown('2026-12-10 瓯海区')).toBe('2026-12-10 瓯海区');
  });

  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('links to the project page under the console, whatever trailing slashes the console URL has', () => {
    expect(projectLink(notice)).toBe(link);
    expect(projectLink({ ...notice, consoleUrl: 'http://127.0.0.1:3000', projectId: 'a/b' })).toBe(
      'http://127.0.0.1:3000/projects/a%2Fb',
    );
  });
});

describe('renderDingTalk', () => {
  it('is a markdown message with every fact of the notice, user text escaped', () => {
    const message = renderDingTalk(notice);
    expect(message.msgtype).toBe('markdown');
    expect(message.at).toEqual({ atMobiles: [], isAtAll: false });
    expect(message.markdown.title).toBe(
      '【升级督办·第2级】新能源电池*基地[二期]<一号>：签约后30日内注册公司',
    );
    const text = message.markdown.text;
    for (const part of [
      '新能源电池\\*基地\\[二期\\]\\<一号\\>',
      '瓯海区',
      '签约',
      '签约后30日内注册公司',
      '2026-12-10',
      '第2级',
      '张主任',
      `[查看项目](${link})`,
    ]) {
      expect(text).toContain(part);
    }
    expect(text).not.toContain('基地[二期]');
  });

  it('mentions by mobile both in the text and in atMobiles, dropping what is not a mobile number', () => {
    const message = renderDingTalk(notice, ['13800138000', ' 13900139000 ', '13800138000', '110', 'zhang']);
    expect(message.at.atMobiles).toEqual(['13800138000', '13900139000']);
    expect(message.markdown.text).toMatch(/@13800138000 @13900139000$/);
  });

  it('calls a first rung an alert (预警) and later rungs escalations (升级督办)', () => {
    expect(renderDingTalk({ ...notice, rung: 1 }).markdown.title).toMatch(/^【预警·第1级】/);
    expect(renderDingTalk({ ...notice, rung: 3 }).markdown.text).toContain('第3级');
  });
});

describe('renderWeCom', () => {
  it('is markdown when nobody is mentioned, user text escaped and a link to the project', () => {
    const message = renderWeCom(notice);
    if (message.msgtype !== 'markdown') throw new Error(`expected markdown, got ${message.msgtype}`);
    expect(message.markdown.content).toContain('新能源电池\\*基地\\[二期\\]\\<一号\\>');
    expect(message.markdown.content).toContain('第2级');
    expect(message.markdown.content).toContain('2026-12-10');
    expect(message.markdown.content).toContain(`[查看项目](${link})`);
  });

  it('is a text message with mentioned_mobile_list when there are mobiles, the name as typed', () => {
    const message = renderWeCom(notice, ['13800138000', 'not-a-mobile']);
    if (message.msgtype !== 'text') throw new Error(`expected text, got ${message.msgtype}`);
    expect(message.text.mentioned_mobile_list).toEqual(['13800138000']);
    expect(message.text.content).toContain('项目：新能源电池*基地[二期]<一号>');
    expect(message.text.content).toContain(`查看项目：${link}`);
    expect(message.text.content).toContain('到期日：2026-12-10');
  });
});

describe('message size', () => {
  it("clips overlong fields so every message stays within WeCom's 2048 and 4096 byte limits", () => {
    const long = '很'.repeat(500);
    const huge: AlertNotice = {
      ...notice,
      projectName: long,
      region: long,
      stageLabel: long,
      ruleLabel: `${'*'.repeat(300)}`,
      addresseeLabel: long,
    };
    const text = renderWeCom(huge, ['13800138000']);
    const markdown = renderWeCom(huge);
    if (text.msgtype !== 'text' || markdown.msgtype !== 'markdown') throw new Error('unexpected msgtype');
    expect(Buffer.byteLength(text.text.content)).toBeLessThanOrEqual(2048);
    expect(Buffer.byteLength(markdown.markdown.content)).toBeLessThanOrEqual(4096);
    expect(text.text.content).toContain(`项目：${'很'.repeat(59)}…`);
    expect(text.text.content).toContain(link);
    expect(renderDingTalk(huge).markdown.text).toContain(`](${link})`);
  });
});

describe('renderEmail', () => {
  it('has a Chinese subject, a plain text and an HTML body with the name escaped only in HTML', () => {
    const mail = renderEmail(notice);
    expect(mail.subject).toBe('【升级督办·第2级】新能源电池*基地[二期]<一号>：签约后30日内注册公司');
    expect(mail.text).toContain('张主任，您好：');
    expect(mail.text).toContain('项目：新能源电池*基地[二期]<一号>');
    expect(mail.text).toContain('级别：第2级');
    expect(mail.text).toContain(`查看项目：${link}`);
    expect(mail.html).toContain('新能源电池*基地[二期]&lt;一号&gt;');
    expect(mail.html).not.toContain('<一号>');
    expect(mail.html).toContain(`<a href="${link}">查看项目</a>`);
    expect(mail.html).toContain('<td>2026-12-10</td>');
  });

  it('keeps a name that tries to close the markup inside its cell', () => {
    const mail = renderEmail({ ...notice, projectName: '</td><script>alert(1)</script>' });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;/td&gt;&lt;script&gt;');
  });
});
