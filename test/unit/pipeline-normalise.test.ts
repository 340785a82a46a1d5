import { describe, expect, it } from 'vitest';
import { DEFAULT_NORMALISE_OPTIONS, normalise, type NormaliseOptions } from '../../main/services/pipeline/steps/normalise';

const ALL_OFF: NormaliseOptions = { form: 'NFC', stripControl: false, collapseWhitespace: false, cleanHtml: false, dropSymbolLines: false };
const only = (o: Partial<NormaliseOptions>): NormaliseOptions => ({ ...ALL_OFF, ...o });

describe('normalise: defaults and change reporting', () => {
  it('exports NFC with every rule on', () => {
    expect(DEFAULT_NORMALISE_OPTIONS).toEqual({ form: 'NFC', stripControl: true, collapseWhitespace: true, cleanHtml: true, dropSymbolLines: true });
  });

  it('leaves clean multilingual text alone and reports no change', () => {
    const clean = [
      'ሰላም፡ዓለም። የኢትዮጵያ ቋንቋዎች ብዙ ናቸው።', // Amharic with Ethiopic wordspace U+1361
      '\u200fمرحبا بالعالم\u200f (Hello) ٢٠٢٤', // Arabic with RLM
      'क्ष और क्\u200dष अलग दिखते हैं', // Hindi with ZWJ
      'ภาษาไทยเขียนติดกัน\u200bไม่มีช่องว่าง', // Thai with ZWSP
      'می\u200cخواهم', // Persian with ZWNJ
      'Family: 👨\u200d👩\u200d👧 and 🇪🇹 flags',
      '',
      'Second paragraph.',
    ].join('\n');
    expect(normalise(clean, DEFAULT_NORMALISE_OPTIONS)).toEqual({ text: clean, changes: [] });
  });

  it('lists every rule that changed the text, in the order they ran', () => {
    const r = normalise('<p>Cafe\u0301&nbsp;&amp; bar</p>\u0007\n-----\nend  ', DEFAULT_NORMALISE_OPTIONS);
    // The BEL's line becomes blank, which whitespace keeps as one paragraph break.
    expect(r.text).toBe('Café & bar\n\nend');
    expect(r.changes).toEqual(['html', 'nfc', 'control', 'symbol-lines', 'whitespace']);
  });

  it('uses the defaults when no options are given', () => {
    expect(normalise('a  b').text).toBe('a b');
  });
});

describe('normalise: Unicode form', () => {
  it('composes to NFC (Latin, Vietnamese, Korean jamo)', () => {
    const r = normalise('e\u0301 Vie\u0323\u0302t \u1100\u1161', only({ form: 'NFC' }));
    expect(r.text).toBe('é Việt 가');
    expect(r.changes).toEqual(['nfc']);
  });

  it('NFC keeps compatibility characters; NFKC folds them', () => {
    const s = 'ﬁ ① ＡＢＣ ｶ';
    expect(normalise(s, only({ form: 'NFC' }))).toEqual({ text: s, changes: [] });
    const r = normalise(s, only({ form: 'NFKC' }));
    expect(r.text).toBe('fi 1 ABC カ');
    expect(r.changes).toEqual(['nfkc']);
  });

  it('does not break Arabic presentation-free text or Amharic syllables', () => {
    const s = 'سلام ሰላም';
    expect(normalise(s, only({ form: 'NFKC' })).changes).toEqual([]);
  });
});

describe('normalise: control characters', () => {
  it('removes C0/C1 controls, BOM and noncharacters', () => {
    const r = normalise('\ufeffa\u0000b\u0008c\u001bd\u007fe\u0080f\u009fg\ufffeh\uffffi', only({ stripControl: true }));
    expect(r.text).toBe('abcdefghi');
    expect(r.changes).toEqual(['control']);
  });

  it('keeps tab, newline, ZWJ, ZWNJ, RLM/LRM and ZWSP', () => {
    const s = 'a\tb\nक्\u200dष می\u200cخواهم \u200fعربي\u200e ไทย\u200bไทย';
    expect(normalise(s, only({ stripControl: true }))).toEqual({ text: s, changes: [] });
  });

  it('turns line-ending controls (\\v, \\f, NEL) into line breaks so words do not merge', () => {
    expect(normalise('one\u000btwo\u000cthree\u0085four', only({ stripControl: true })).text).toBe('one\ntwo\nthree\nfour');
  });

  it('is a no-op when off', () => {
    expect(normalise('a\u0000b', ALL_OFF)).toEqual({ text: 'a\u0000b', changes: [] });
  });
});

describe('normalise: whitespace', () => {
  const ws = only({ collapseWhitespace: true });

  it('collapses runs of spaces, tabs and Unicode spaces inside a line', () => {
    const r = normalise('a  b\t\tc\u00a0d\u3000e \u2009 f\u202fg', ws);
    expect(r.text).toBe('a b c d e f g');
    expect(r.changes).toEqual(['whitespace']);
  });

  it('keeps the Ethiopic wordspace, which is punctuation not a space', () => {
    expect(normalise('ሰላም፡ዓለም', ws).changes).toEqual([]);
  });

  it('normalises line endings', () => {
    expect(normalise('a\r\nb\rc\u2028d\u2029e', ws).text).toBe('a\nb\nc\nd\ne');
  });

  it('trims both ends of each line and of the document', () => {
    expect(normalise('  \n  first  \n\t second\t\n\n', ws).text).toBe('first\nsecond');
  });

  it('turns two or more blank lines into one, keeps a single blank line', () => {
    expect(normalise('p1\n\np2\n\n\np3\n \n\t\n \np4', ws).text).toBe('p1\n\np2\n\np3\n\np4');
  });

  it('leaves single spaces and single newlines alone', () => {
    expect(normalise('مرحبا بالعالم\nسطر ثان', ws).changes).toEqual([]);
  });
});

describe('normalise: HTML', () => {
  const html = only({ cleanHtml: true });

  it('removes inline tags and turns block tags into line breaks', () => {
    const r = normalise('<p class="x">ሰላም <b>ዓለም</b></p><div>line<br/>break<br>again</div><ul><li>one</li><li>two</li></ul>', html);
    expect(r.text).toBe('\nሰላም ዓለም\n\nline\nbreak\nagain\n\n\none\n\ntwo\n\n');
    expect(r.changes).toEqual(['html']);
    expect(normalise('<p>ሰላም</p><p>ዓለም</p>', DEFAULT_NORMALISE_OPTIONS).text).toBe('ሰላም\n\nዓለም');
  });

  it('keeps table cells apart', () => {
    expect(normalise('<table><tr><td>a</td><td>b</td></tr></table>', DEFAULT_NORMALISE_OPTIONS).text).toBe('a b');
  });

  it('drops script, style and comments with their contents', () => {
    expect(normalise('a<script type="x">var x = "<b>";</script>b<style>p{}</style>c<!-- note -->d', html).text).toBe('abcd');
  });

  it('does not treat a lone < or > in text as a tag', () => {
    for (const s of ['a < b and c > d', 'x <= 3 >= y', '1<2', 'if a <b> c', '<3 love', 'a <- b', '<< 1 >>']) {
      const expected = s === 'if a <b> c' ? 'if a  c' : s;
      expect(normalise(s, html).text).toBe(expected);
    }
  });

  it('hazard, by design: anything shaped like a tag is one', () => {
    expect(normalise('a<b and c>d <<quoted>>', html).text).toBe('ad <>');
  });

  it('decodes named entities', () => {
    const r = normalise('Tom &amp; Jerry &lt;3 &quot;hi&quot; &copy; caf&eacute; &mdash; &hellip; &euro;5 &nbsp;x', html);
    expect(r.text).toBe('Tom & Jerry <3 "hi" © café — … €5 \u00a0x');
  });

  it('decodes numeric entities, including Windows-1252 references and invalid ones', () => {
    expect(normalise('&#4656;&#x120B;&#x1F600; &#150; &#0; &#xD800; &#x110000;', html).text).toBe('ሰላ😀 – \ufffd \ufffd \ufffd');
  });

  it('decodes once: double-encoded text stays encoded once, decoded tags are not stripped', () => {
    expect(normalise('&amp;lt;b&amp;gt; and &lt;i&gt;x&lt;/i&gt;', html).text).toBe('&lt;b&gt; and <i>x</i>');
  });

  it('leaves unknown or unterminated entities alone', () => {
    const s = 'AT&T &copy 2020 &bogus; & more';
    expect(normalise(s, html)).toEqual({ text: s, changes: [] });
  });

  it('keeps ZWJ/ZWNJ/RLM written as entities', () => {
    expect(normalise('क्&zwj;ष &rlm;عربي', DEFAULT_NORMALISE_OPTIONS).text).toBe('क्\u200dष \u200fعربي');
  });

  it('composes after decoding (entity spelling a combining mark)', () => {
    const r = normalise('e&#769;', only({ cleanHtml: true, form: 'NFC' }));
    expect(r.text).toBe('é');
    expect(r.changes).toEqual(['html', 'nfc']);
  });

  it('is a no-op when off', () => {
    expect(normalise('<b>x</b> &amp;', ALL_OFF).changes).toEqual([]);
  });
});

describe('normalise: symbol-only lines', () => {
  const sym = only({ dropSymbolLines: true });

  it('drops lines with no letter and no digit', () => {
    const r = normalise('Title\n-----\n* * *\n|||\n•••\n፨፨፨\n😀😀\n   ====   \nBody', sym);
    expect(r.text).toBe('Title\nBody');
    expect(r.changes).toEqual(['symbol-lines']);
  });

  it('keeps lines with a letter or digit in any script, and blank lines', () => {
    const s = 'ሰላም።\n\n— አበበ\n2019\n3:16\n* item\n• नमस्ते\nمرحبا!\nไทย\n# 1\n😀 ok';
    expect(normalise(s, sym)).toEqual({ text: s, changes: [] });
  });

  it('drops the first and last line and handles \\r\\n', () => {
    expect(normalise('***\r\nmiddle\r\n---', sym).text).toBe('middle\r\n');
  });

  it('is linear on a long line of punctuation ending in a letter', () => {
    const s = `${'='.repeat(200_000)}a\n`;
    const t0 = performance.now();
    expect(normalise(s, sym).changes).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('normalise: speed', () => {
  it('handles several megabytes of mixed text quickly', () => {
    const para = 'ሰላም ዓለም። <b>Hello</b> &amp; مرحبا\u200f  क्\u200dष ภาษาไทย 😀\n----\n\n\n';
    const big = para.repeat(Math.ceil(4_000_000 / para.length));
    const t0 = performance.now();
    const r = normalise(big, DEFAULT_NORMALISE_OPTIONS);
    const ms = performance.now() - t0;
    expect(r.changes).toEqual(['html', 'symbol-lines', 'whitespace']);
    expect(ms).toBeLessThan(3000);
  });
});
