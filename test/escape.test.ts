import { describe, expect, it } from 'vitest';
import { mdCell, mdCode, mdText, stripControls, terminalSafe } from '../src/report/escape.js';

describe('terminalSafe', () => {
  it('shows control characters as visible escapes and keeps Chinese text', () => {
    expect(terminalSafe('东城\u001b[31m中学')).toBe('东城\\x1b[31m中学');
    expect(terminalSafe('第一行\n第二行')).toBe('第一行 第二行');
    expect(terminalSafe('第一行\n第二行', true)).toBe('第一行\n第二行');
  });
});

describe('stripControls', () => {
  it('removes colour codes, terminal titles and bidi overrides, not the text around them', () => {
    expect(stripControls('\u001b[1;31m东城区\u001b[0m实验中学')).toBe('东城区实验中学');
    expect(stripControls('\u001b]0;标题\u0007学校')).toBe('学校');
    expect(stripControls('a\u0007b\u0080c\u202ed')).toBe('abcd');
    expect(stripControls('清屏\u009b2J了')).toBe('清屏了');
  });

  it('normalises line breaks and turns tabs into spaces', () => {
    expect(stripControls('a\r\nb\rc\u2028d\te')).toBe('a\nb\nc\nd e');
  });
});

describe('mdText', () => {
  it('escapes emphasis, links, code, pipes, backslashes and math', () => {
    expect(mdText('**粗体** _斜体_ [链接](x) `代码` a|b c\\d $x$ ~~删~~')).toBe(
      '\\*\\*粗体\\*\\* \\_斜体\\_ \\[链接\\](x) \\`代码\\` a\\|b c\\\\d \\$x\\$ \\~\\~删\\~\\~',
    );
  });

  it('turns HTML into entities but leaves comparisons readable', () => {
    expect(mdText('<script>alert(1)</script> & <b>')).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;',
    );
    expect(mdText('8400 < 16800, 9000 > 8400')).toBe('8400 < 16800, 9000 > 8400');
    expect(mdText('<http://evil.example>')).toBe('&lt;http://evil.example&gt;');
  });

  it('joins lines with spaces and drops terminal codes', () => {
    expect(mdText('东城区\n\u001b[31m实验中学\n\n')).toBe('东城区 实验中学');
  });

  it('escapes block syntax where the text starts a line', () => {
    expect(mdText('# 标题', true)).toBe('\\# 标题');
    expect(mdText('> 引用', true)).toBe('&gt; 引用');
    expect(mdText('- 列表', true)).toBe('\\- 列表');
    expect(mdText('+ 列表', true)).toBe('\\+ 列表');
    expect(mdText('===', true)).toBe('\\===');
    expect(mdText('1. 第一', true)).toBe('1\\. 第一');
    expect(mdText('2023) 年', true)).toBe('2023\\) 年');
    expect(mdText('版本 1.2.0')).toBe('版本 1.2.0');
    expect(mdText('1.2.0')).toBe('1.2.0');
  });
});

describe('mdCell', () => {
  it('keeps a table cell on one row: line breaks become <br>, pipes are escaped', () => {
    expect(mdCell('第一行 | 竖线\r\n- 第二行\n1. 第三行')).toBe(
      '第一行 \\| 竖线<br>\\- 第二行<br>1\\. 第三行',
    );
  });
});

describe('mdCode', () => {
  it('writes a formula as a code span when it can hold it', () => {
    expect(mdCode('(students + staff) * masks_per_person_day')).toBe(
      '`(students + staff) * masks_per_person_day`',
    );
    expect(mdCode('a < b && c')).toBe('`a < b && c`');
  });

  it('falls back to escaped text for backticks, pipes, backslashes and line breaks', () => {
    expect(mdCode('boarding || type == "senior"')).toBe('boarding \\|\\| type == "senior"');
    expect(mdCode('a`b')).toBe('a\\`b');
    expect(mdCode('a\nb')).toBe('a b');
  });
});
