/**
 * What text the engine accepts. Every path a command can take (the API, an import, the workflow's
 * own checks) asks these functions, so that nothing reaches the event log that PostgreSQL would
 * refuse to store, or that would look like something else on a screen.
 */

/** Why a string cannot be recorded, or null when it can. */
export type TextProblem = 'nul' | 'lone_surrogate' | 'control_character';

// NUL: jsonb and text columns cannot hold it. Lone surrogates: not UTF-8, so not storable either.
// C0 and C1 controls (other than tab, newline, and a carriage return before a newline) and DEL:
// invisible, and they change how a line is read or printed.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function textProblem(value: string): TextProblem | null {
  if (value.includes('\u0000')) return 'nul';
  if (LONE_SURROGATE.test(value)) return 'lone_surrogate';
  if (CONTROL.test(value)) return 'control_character';
  return null;
}

/**
 * Characters that take no space on screen: a name made only of them (and of white space) is blank.
 * Zero-width space, non-joiner and joiner, word joiner, the BOM, soft hyphen, Mongolian vowel
 * separator, and the invisible operators.
 */
// eslint-disable-next-line no-misleading-character-class
const INVISIBLE = /[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u2061-\u2064]/g;

export function isBlankText(value: string): boolean {
  return value.replace(INVISIBLE, '').trim() === '';
}

/** The first string, anywhere in a JSON-like value, that cannot be recorded: its path and why. */
export function findUnstorableText(
  value: unknown,
  path: string,
  depth = 0,
): { path: string; problem: TextProblem | 'too_deep' } | null {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { path, problem } : null;
  }
  if (typeof value !== 'object' || value === null) return null;
  // Commands are a few levels deep; anything deeper is not a command.
  if (depth > 32) return { path, problem: 'too_deep' };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    const keyProblem = textProblem(key);
    if (keyProblem) return { path: `${path}.${JSON.stringify(key).slice(1, -1)}`, problem: keyProblem };
    const found = findUnstorableText(item, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

export const TEXT_PROBLEM_MESSAGES: Record<TextProblem | 'too_deep', { zh: string; en: string }> = {
  nul: { zh: '文本含有空字符(U+0000),无法保存', en: 'the text contains a NUL character (U+0000)' },
  lone_surrogate: {
    zh: '文本含有不成对的代理字符,不是有效的 Unicode 文本',
    en: 'the text contains a lone surrogate, which is not valid Unicode',
  },
  control_character: {
    zh: '文本含有控制字符(制表符和换行符除外)',
    en: 'the text contains a control character (only tab and newline are allowed)',
  },
  too_deep: { zh: '数据嵌套层级过深', en: 'the value is nested too deeply' },
};
