import fc from 'fast-check';
import { findUnstorableText, isBlankText, textProblem } from './text';

describe('text the event log can hold', () => {
  it('names why a string cannot be recorded', () => {
    expect(textProblem('a\u0000b')).toBe('nul');
    expect(textProblem('a\ud800b')).toBe('lone_surrogate');
    expect(textProblem('a\udfffb')).toBe('lone_surrogate');
    expect(textProblem('\u001b[31m')).toBe('control_character');
    expect(textProblem('\u009b')).toBe('control_character');
    expect(textProblem('\u007f')).toBe('control_character');
    expect(textProblem('a\rb')).toBe('control_character');
    expect(textProblem('行一\r\n行二\n\t制表')).toBeNull();
    expect(textProblem('电池 🔋 𠀀')).toBeNull();
  });

  it('accepts every string of well-formed Unicode without controls, and finds a NUL wherever it is', () => {
    // eslint-disable-next-line no-control-regex
    const printable = fc.string({ unit: 'grapheme' }).filter((s) => !/[\u0000-\u001f\u007f-\u009f]/.test(s));
    fc.assert(
      fc.property(printable, printable, (a, b) => {
        expect(textProblem(a + b)).toBeNull();
        expect(textProblem(`${a}\u0000${b}`)).toBe('nul');
      }),
    );
  });

  it('finds the first unstorable string in nested data, keys included', () => {
    expect(findUnstorableText({ a: { b: ['ok', 'x\u0000'] } }, 'data')).toEqual({
      path: 'data.a.b[1]',
      problem: 'nul',
    });
    expect(findUnstorableText({ ['k\u0000']: 1 }, 'data')).toEqual({ path: 'data.k\\u0000', problem: 'nul' });
    expect(findUnstorableText({ a: 1, b: null, c: [true] }, 'data')).toBeNull();
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(findUnstorableText(deep, 'data')?.problem).toBe('too_deep');
  });

  it('counts invisible characters as blank', () => {
    expect(isBlankText('\u200b\u200c\u200d\ufeff\u2060\u00ad ')).toBe(true);
    expect(isBlankText('\u3000')).toBe(true);
    expect(isBlankText('\u200b名')).toBe(false);
  });
});
