/**
 * An alert or escalation as its addressee reads it, rendered for each channel in the format the
 * vendor documents. Pure: no clock, no I/O, so every channel says the same thing.
 */
export interface AlertNotice {
  projectId: string;
  projectName: string;
  region: string;
  stageLabel: string;
  ruleLabel: string;
  /** The day the rule falls due, as YYYY-MM-DD. */
  dueDate: string;
  /** 1 for the alert itself, 2 and up for each escalation past it. */
  rung: number;
  /** Whom the notice is for (a name or a role), shown in the greeting. */
  addresseeLabel: string;
  /** The officers' console, without a trailing slash needed. */
  consoleUrl: string;
}

export interface DingTalkMarkdown {
  msgtype: 'markdown';
  markdown: { title: string; text: string };
  at: { atMobiles: string[]; isAtAll: false };
}

/**
 * WeCom's markdown mentions only by `<@userid>`; a mention by mobile exists only for the `text`
 * message (`mentioned_mobile_list`). With mobiles to mention the notice goes as text, else as markdown.
 */
export type WeComMessage =
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'text'; text: { content: string; mentioned_mobile_list: string[] } };

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

/** Mainland mobile numbers, the only kind DingTalk and WeCom robots mention by. */
const MOBILE = /^1\d{10}$/;

export function projectLink(notice: AlertNotice): string {
  return `${notice.consoleUrl.replace(/\/+$/, '')}/projects/${encodeURIComponent(notice.projectId)}`;
}

/** The most of one user field a message carries, so that WeCom's 2048-byte text limit always holds. */
export const MAX_FIELD_CHARS = 60;

/**
 * A line break or tab in user text would end a markdown line early and let it start a heading or
 * list; an overlong field would push the message past the vendor's size limit and lose it whole.
 */
function oneLine(value: string): string {
  const line = value.replace(/[\r\n\t\u2028\u2029]+/g, ' ').trim();
  const chars = [...line];
  return chars.length > MAX_FIELD_CHARS ? `${chars.slice(0, MAX_FIELD_CHARS - 1).join('')}…` : line;
}

/**
 * Backslash-escapes the punctuation that means something inside a markdown line (emphasis, code,
 * links, tags, entities, tables). User text never starts a line here, so `#`, `-`, `1.` stay as typed.
 */
export function escapeMarkdown(value: string): string {
  return oneLine(value).replace(/[\\`*_[\]()<>&~|]/g, (c) => `\\${c}`);
}

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

function validMobiles(mobiles: readonly string[]): string[] {
  return [...new Set(mobiles.map((m) => m.trim()).filter((m) => MOBILE.test(m)))];
}

function kind(notice: AlertNotice): string {
  return notice.rung <= 1 ? '预警' : '升级督办';
}

function headline(notice: AlertNotice): string {
  return `【${kind(notice)}·第${notice.rung}级】${oneLine(notice.projectName)}：${oneLine(notice.ruleLabel)}`;
}

/** DingTalk custom robot markdown; a mention needs the `@mobile` in the text and the mobile in atMobiles. */
export function renderDingTalk(
  notice: AlertNotice,
  mentionMobiles: readonly string[] = [],
): DingTalkMarkdown {
  const mobiles = validMobiles(mentionMobiles);
  const lines = [
    `### ${escapeMarkdown(headline(notice))}`,
    `${escapeMarkdown(notice.addresseeLabel)}，您好：`,
    `- 项目：**${escapeMarkdown(notice.projectName)}**`,
    `- 区域：${escapeMarkdown(notice.region)}`,
    `- 阶段：${escapeMarkdown(notice.stageLabel)}`,
    `- 规则：${escapeMarkdown(notice.ruleLabel)}`,
    `- 到期日：${escapeMarkdown(notice.dueDate)}`,
    `- 级别：第${notice.rung}级`,
    '',
    `[查看项目](${projectLink(notice)})`,
  ];
  if (mobiles.length > 0) lines.push('', mobiles.map((m) => `@${m}`).join(' '));
  return {
    msgtype: 'markdown',
    // The title is what the conversation list and the push show: plain text, no markdown.
    markdown: { title: headline(notice), text: lines.join('\n') },
    at: { atMobiles: mobiles, isAtAll: false },
  };
}

export function renderWeCom(notice: AlertNotice, mentionMobiles: readonly string[] = []): WeComMessage {
  const mobiles = validMobiles(mentionMobiles);
  if (mobiles.length > 0) {
    const content = [
      headline(notice),
      `${oneLine(notice.addresseeLabel)}，您好：`,
      `项目：${oneLine(notice.projectName)}`,
      `区域：${oneLine(notice.region)}`,
      `阶段：${oneLine(notice.stageLabel)}`,
      `规则：${oneLine(notice.ruleLabel)}`,
      `到期日：${oneLine(notice.dueDate)}`,
      `级别：第${notice.rung}级`,
      `查看项目：${projectLink(notice)}`,
    ].join('\n');
    return { msgtype: 'text', text: { content, mentioned_mobile_list: mobiles } };
  }
  const content = [
    `### ${escapeMarkdown(headline(notice))}`,
    `${escapeMarkdown(notice.addresseeLabel)}，您好：`,
    `> 项目：**${escapeMarkdown(notice.projectName)}**`,
    `> 区域：${escapeMarkdown(notice.region)}`,
    `> 阶段：${escapeMarkdown(notice.stageLabel)}`,
    `> 规则：<font color="warning">${escapeMarkdown(notice.ruleLabel)}</font>`,
    `> 到期日：${escapeMarkdown(notice.dueDate)}`,
    `> 级别：第${notice.rung}级`,
    '',
    `[查看项目](${projectLink(notice)})`,
  ].join('\n');
  return { msgtype: 'markdown', markdown: { content } };
}

export function renderEmail(notice: AlertNotice): EmailMessage {
  const link = projectLink(notice);
  const rows: [string, string][] = [
    ['项目', notice.projectName],
    ['区域', notice.region],
    ['阶段', notice.stageLabel],
    ['规则', notice.ruleLabel],
    ['到期日', notice.dueDate],
    ['级别', `第${notice.rung}级`],
  ];
  const text = [
    `${oneLine(notice.addresseeLabel)}，您好：`,
    '',
    `${oneLine(notice.projectName)}「${oneLine(notice.ruleLabel)}」触发${kind(notice)}（第${notice.rung}级）。`,
    '',
    ...rows.map(([k, v]) => `${k}：${oneLine(v)}`),
    '',
    `查看项目：${link}`,
  ].join('\n');
  const html = [
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>',
    `<p>${escapeHtml(oneLine(notice.addresseeLabel))}，您好：</p>`,
    `<p><strong>${escapeHtml(oneLine(notice.projectName))}</strong>「${escapeHtml(oneLine(notice.ruleLabel))}」触发${kind(notice)}（第${notice.rung}级）。</p>`,
    '<table>',
    ...rows.map(([k, v]) => `<tr><th align="left">${k}</th><td>${escapeHtml(oneLine(v))}</td></tr>`),
    '</table>',
    `<p><a href="${escapeHtml(link)}">查看项目</a></p>`,
    '</body></html>',
  ].join('\n');
  return { subject: headline(notice), text, html };
}
