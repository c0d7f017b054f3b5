import type { Digest } from '@app/domain';
import {
  escapeHtml,
  escapeMarkdown,
  MAX_FIELD_CHARS,
  type DingTalkMarkdown,
  type EmailMessage,
} from './render';

/**
 * The morning digest as each channel carries it: markdown for the robots, plain text and HTML for
 * e-mail, each item with a link to its project in the console. Pure, like the alert renderers.
 */

/** The most items of one kind a message lists, so that WeCom's 4096-byte markdown limit holds. */
export const DIGEST_ITEMS_PER_SECTION = 8;

interface Line {
  projectId: string;
  /** Plain text, one line. */
  text: string;
}

interface Section {
  title: string;
  lines: Line[];
}

function plain(value: string): string {
  const line = value.replace(/[\r\n\t\u2028\u2029]+/g, ' ').trim();
  const chars = [...line];
  return chars.length > MAX_FIELD_CHARS ? `${chars.slice(0, MAX_FIELD_CHARS - 1).join('')}…` : line;
}

function link(consoleUrl: string, projectId: string): string {
  return `${consoleUrl.replace(/\/+$/, '')}/projects/${encodeURIComponent(projectId)}`;
}

function sections(digest: Digest): Section[] {
  const all: Section[] = [
    {
      title: '未关闭的预警与升级督办',
      lines: digest.alerts.map((a) => ({
        projectId: a.projectId,
        text: `${plain(a.projectName)}：${plain(a.ruleLabel)}（第${a.rung}级${a.dueDate ? `，到期日 ${a.dueDate}` : ''}）`,
      })),
    },
    {
      title: '红灯项目',
      lines: digest.redLights.map((p) => ({
        projectId: p.projectId,
        text: `${plain(p.projectName)}（${plain(p.stageLabel)}）`,
      })),
    },
    {
      title: '到期的督办事项',
      lines: digest.supervision.map((s) => ({
        projectId: s.projectId,
        text: `${plain(s.projectName)}：${plain(s.ruleLabel)}（${plain(s.statusLabel)}，到期日 ${s.dueDate}）`,
      })),
    },
    {
      title: '30日未更新的项目',
      lines: digest.quiet.map((p) => ({
        projectId: p.projectId,
        text: `${plain(p.projectName)}（${plain(p.stageLabel)}，最近更新 ${p.lastUpdated}）`,
      })),
    },
  ];
  return all.filter((s) => s.lines.length > 0);
}

function shown(section: Section): { lines: Line[]; more: number } {
  return {
    lines: section.lines.slice(0, DIGEST_ITEMS_PER_SECTION),
    more: Math.max(0, section.lines.length - DIGEST_ITEMS_PER_SECTION),
  };
}

export function digestTitle(digest: Digest): string {
  return `【每日待办】${digest.day} ${plain(digest.personName)}`;
}

/** Markdown both robots read (DingTalk's and WeCom's common subset: headings, lists, links). */
export function renderDigestMarkdown(digest: Digest, consoleUrl: string): string {
  const out = [`### ${escapeMarkdown(digestTitle(digest))}`, `${escapeMarkdown(digest.personName)}，您好：`];
  for (const section of sections(digest)) {
    const { lines, more } = shown(section);
    out.push('', `**${section.title}（${section.lines.length}）**`);
    for (const line of lines) {
      out.push(`- [${escapeMarkdown(line.text)}](${link(consoleUrl, line.projectId)})`);
    }
    if (more > 0) out.push(`- 另有${more}项，请登录系统查看`);
  }
  out.push('', `[打开系统](${consoleUrl.replace(/\/+$/, '')}/)`);
  return out.join('\n');
}

export function renderDigestDingTalk(
  digest: Digest,
  consoleUrl: string,
  mention: string | null = null,
): DingTalkMarkdown {
  const mobiles = mention && /^1\d{10}$/.test(mention) ? [mention] : [];
  const text = renderDigestMarkdown(digest, consoleUrl) + (mobiles.length ? `\n\n@${mobiles[0]}` : '');
  return {
    msgtype: 'markdown',
    markdown: { title: digestTitle(digest), text },
    at: { atMobiles: mobiles, isAtAll: false },
  };
}

/** WeCom's markdown; it mentions only by `<@userid>`, so the digest names the person instead. */
export function renderDigestWeCom(
  digest: Digest,
  consoleUrl: string,
): { msgtype: 'markdown'; markdown: { content: string } } {
  return { msgtype: 'markdown', markdown: { content: renderDigestMarkdown(digest, consoleUrl) } };
}

export function renderDigestEmail(digest: Digest, consoleUrl: string): EmailMessage {
  const all = sections(digest);
  const text = [`${plain(digest.personName)}，您好：`, '', `以下是您 ${digest.day} 的待办事项。`];
  const html = [
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>',
    `<p>${escapeHtml(plain(digest.personName))}，您好：</p>`,
    `<p>以下是您 ${digest.day} 的待办事项。</p>`,
  ];
  for (const section of all) {
    const { lines, more } = shown(section);
    text.push('', `${section.title}（${section.lines.length}）`);
    html.push(`<h3>${section.title}（${section.lines.length}）</h3>`, '<ul>');
    for (const line of lines) {
      const href = link(consoleUrl, line.projectId);
      text.push(`- ${line.text}`, `  ${href}`);
      html.push(`<li><a href="${escapeHtml(href)}">${escapeHtml(line.text)}</a></li>`);
    }
    if (more > 0) {
      text.push(`- 另有${more}项，请登录系统查看`);
      html.push(`<li>另有${more}项，请登录系统查看</li>`);
    }
    html.push('</ul>');
  }
  html.push('</body></html>');
  return { subject: digestTitle(digest), text: text.join('\n'), html: html.join('\n') };
}
