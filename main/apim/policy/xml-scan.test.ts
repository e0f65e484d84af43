import { describe, expect, it } from 'vitest';
import { rewritePolicy } from './rewrite';
import { readTokenPolicies } from './token-policy';
import { readWiring } from './wiring';
import { applyEdits, decodeAttr, encodeAttr, indentAt, lineAndColumn, removeElement, scanXml, scanXmlChecked, wellFormedProblem, type XmlElement } from './xml-scan';

/*
 * The scanner the policy rewrite edits by: every offset must be the exact byte the user wrote, or an edit lands in
 * the wrong place. A tree is shown as `name attr="value"@start-end start,openEnd,closeStart,end[/] (children)`.
 */

const show = (el: XmlElement): string => {
  const attrs = [...el.attrs].map(([k, a]) => ` ${k}=${JSON.stringify(a.value)}@${a.start}-${a.end}`).join('');
  const kids = el.children.map(show).join(' ');
  return `${el.name}${attrs} ${el.start},${el.openEnd},${el.closeStart},${el.end}${el.selfClosing ? '/' : ''}${kids ? ` (${kids})` : ''}`;
};
/** Only the element names, for malformed input where an unclosed element's close offsets are not the point. */
const names = (el: XmlElement): string => `${el.name}${el.children.length ? `(${el.children.map(names).join(' ')})` : ''}`;
const top = (xml: string) => scanXml(xml).children.map(names).join(' ');

describe('scanXml offsets, names and attributes', () => {
  it('gives each element its exact start, openEnd, closeStart and end under a #root spanning the text', () => {
    const xml = `<p a="1"><q/><r b='x'>t</r></p>`;
    const root = scanXml(xml);
    expect(show(root)).toBe(`#root 0,0,31,31 (p a="1"@3-8 0,9,27,31 (q 9,13,13,13/ r b="x"@16-21 13,22,23,27))`);
    expect(root.parent).toBeUndefined();
    const p = root.children[0]!;
    expect(p.parent).toBe(root);
    expect(p.children.map((c) => c.parent)).toEqual([p, p]);
    expect(xml.slice(p.children[1]!.openEnd, p.children[1]!.closeStart)).toBe('t');
  });

  it('keeps text before the first element out of the tree', () => {
    expect(show(scanXml('hi <a/>'))).toBe('#root 0,0,7,7 (a 3,7,7,7/)');
  });

  it('reads attributes with whitespace around = and either quote, and skips a bare word', () => {
    const xml = `<a b = "1"  c\t=\n'2' flag d="3"/>`;
    expect(show(scanXml(xml))).toBe(`#root 0,0,32,32 (a b="1"@3-10 c="2"@12-19 d="3"@25-30 0,32,32,32/)`);
  });

  it('keeps < > and /> inside quoted values as value text (rawxml), the tag ending at its own >', () => {
    const xml = `<a x="<b>" y='/>'>t</a>`;
    expect(show(scanXml(xml))).toBe(`#root 0,0,23,23 (a x="<b>"@3-10 y="/>"@11-17 0,18,19,23)`);
  });

  it('closes a start tag at > even after a bare word or a lone slash', () => {
    expect(show(scanXml('<a / >t</a><b c>u</b>'))).toBe('#root 0,0,21,21 (a 0,6,7,11 b 11,16,17,21)');
  });

  it('accepts whitespace before the closing tag name ends', () => {
    expect(show(scanXml('<a></a >'))).toBe('#root 0,0,8,8 (a 0,3,3,8)');
  });
});

describe('scanXml skips what is not an element', () => {
  it('skips the XML declaration, a DOCTYPE, comments, CDATA and processing instructions with their content', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE p [<!ENTITY e "<x/>">]><p><!-- a > b <y>--><![CDATA[ c > d <z>]]><?pi w<w/>?><q/></p>`;
    expect(top(xml)).toBe('p(q)');
    const q = scanXml(xml).children[0]!.children[0]!;
    expect([q.start, q.end]).toEqual([xml.indexOf('<q/>'), xml.indexOf('<q/>') + 4]);
  });

  it('ends a comment only at a --> after its <!--, a CDATA section at its ]]>', () => {
    expect(top('<!--> <x/> --><a/>')).toBe('a');
    expect(top('<![CDATA[<b>]]><a/>')).toBe('a');
  });
});

describe('scanXml on malformed input', () => {
  it('swallows the rest of the text after an unclosed comment, CDATA section or processing instruction', () => {
    expect(top('<a><!-- <b/>')).toBe('a');
    expect(top('<a><![CDATA[ <b/>')).toBe('a');
    expect(top('<a><?pi <b')).toBe('a');
  });

  it('passes over a stray < and a stray < inside a start tag', () => {
    expect(top('x < y <<c/>')).toBe('c');
    const a = scanXml('<a <b>').children[0]!;
    expect(top('<a <b>')).toBe('a');
    expect(a.openEnd).toBe(6);
    expect(top('<a <b/>')).toBe('a');
    expect(scanXml('<a <b/>').children[0]!.end).toBe(7);
  });

  it('drops a start tag cut off by the end of the text, or whose quoted value never closes', () => {
    expect(top('<r/><a b')).toBe('r');
    expect(top('<r/><a b=')).toBe('r');
    expect(top('<r/><a b= ')).toBe('r');
    expect(show(scanXml('<r><a b="1></r>'))).toBe('#root 0,0,15,15 (r 0,3,11,15)');
  });

  it('ignores a closing tag with no open element, including one named like the synthetic root', () => {
    expect(show(scanXml('</x><a></#root><b/></a>'))).toBe('#root 0,0,23,23 (a 4,7,19,23 (b 15,19,19,19/))');
  });

  it('closes an element at a closing tag cut off by the end of the text', () => {
    expect(show(scanXml('<a></a'))).toBe('#root 0,0,6,6 (a 0,3,3,6)');
  });

  it('closes the nearest open element of that name, with what is still open inside it', () => {
    const root = scanXml('<a><b><c></a><d/>');
    expect(root.children.map(names).join(' ')).toBe('a(b(c)) d');
    expect([root.children[0]!.closeStart, root.children[0]!.end]).toEqual([9, 13]);
  });
});

describe('attribute entities', () => {
  it('decodes the five entities, &amp; last so an escaped entity stays one', () => {
    expect(decodeAttr('&quot;&apos;&lt;&gt;&amp;lt;')).toBe(`"'<>&lt;`);
  });

  it('encodes & " < > for a double-quoted value and leaves the apostrophe', () => {
    expect(encodeAttr(`a&"<>'`)).toBe(`a&amp;&quot;&lt;&gt;'`);
    expect(decodeAttr(encodeAttr(`x < "y" & 'z'`))).toBe(`x < "y" & 'z'`);
  });
});

describe('indentAt, removeElement and applyEdits', () => {
  const xml = '<a>\n  <b/>\n\t x <c/>\n</a>';
  const [b, c] = scanXml(xml).children[0]!.children;

  it('copies the whitespace that starts the line an offset is on, the line break belonging to its line', () => {
    expect(indentAt(xml, b!.start)).toBe('  ');
    expect(indentAt(xml, c!.start)).toBe('\t ');
    expect(indentAt(xml, 0)).toBe('');
    expect(indentAt(xml, 3)).toBe('');
  });

  it('removes an element alone on its line together with the line break and indentation before it', () => {
    expect(removeElement(xml, b!)).toEqual({ start: 3, end: 10, text: '' });
    expect(applyEdits(xml, [removeElement(xml, b!)])).toBe('<a>\n\t x <c/>\n</a>');
    expect(removeElement('\n  <b/>', scanXml('\n  <b/>').children[0]!)).toEqual({ start: 0, end: 7, text: '' });
  });

  it('removes only the element when other text shares its line or it is on the first line', () => {
    expect(removeElement(xml, c!)).toEqual({ start: c!.start, end: c!.end, text: '' });
    expect(removeElement('  <b/>', scanXml('  <b/>').children[0]!)).toEqual({ start: 2, end: 6, text: '' });
    const inline = '<a><b/></a>';
    expect(removeElement(inline, scanXml(inline).children[0]!.children[0]!)).toEqual({ start: 3, end: 7, text: '' });
  });

  it('applies edits given in any order against the original offsets', () => {
    expect(applyEdits('abcdef', [{ start: 1, end: 2, text: 'X' }, { start: 4, end: 6, text: '' }, { start: 0, end: 0, text: '>' }])).toBe('>aXcd');
  });
});

describe('policy expressions as rawxml writes them (C# as typed: quotes, < and > are not XML)', () => {
  it('reads a whole-value expression with quotes and generics to its closing bracket, the element staying self-closing', () => {
    const cond = '@(context.Variables.GetValueOrDefault<string>("id").Equals(context.Variables.GetValueOrDefault<string>("user")))';
    const xml = `<choose><when condition="${cond}" /><b/></choose>`;
    const when = scanXml(xml).children[0]!.children[0]!;
    expect(top(xml)).toBe('choose(when b)');
    expect(when.attrs.get('condition')).toEqual({ value: cond, start: 14, end: 26 + cond.length });
    expect([when.selfClosing, when.end]).toEqual([true, 29 + cond.length]);
  });

  it('skips brackets and quotes inside C# string and character literals, plain, escaped and verbatim', () => {
    const values = [`@(s.TrimEnd(')') + "(" + '"' + '\\'')`, `@("a\\")b" + s)`, `@(Regex.Match(s, @"\\)""\\").Value)`, `@{ return "}"; }`];
    const xml = `<a${values.map((v, n) => ` v${n}="${v}"`).join('')} w='@(x("y"))'/>`;
    const a = scanXml(xml).children[0]!;
    expect([...a.attrs.values()].map((v) => v.value)).toEqual([...values, '@(x("y"))']);
    expect(a.attrs.get('w')!.end).toBe(xml.length - 2);
    expect(a.end).toBe(xml.length);
  });

  it('falls back to the next quote when the expression is not the whole value or never closes', () => {
    expect([...scanXml('<a v="@(a) b" u="@(c"/>').children[0]!.attrs.values()].map((v) => v.value)).toEqual(['@(a) b', '@(c']);
    expect([...scanXml('<a v="@("x)" w="1"/>').children[0]!.attrs].map(([k, v]) => `${k}=${v.value}`)).toEqual(['v=@(', 'w=1']);
  });

  it('skips an expression that starts the text of an element, after any whitespace', () => {
    const body = '@{\n      for (int i = 0; i<n; i++) {}\n      return "</set-body>" + h.GetValueOrDefault<string>("a");\n    }';
    const xml = `<inbound>\n  <set-body>\n    ${body}\n  </set-body><value>@(h.GetValueOrDefault<bool>("b"))</value><base/>\n</inbound>`;
    expect(top(xml)).toBe('inbound(set-body value base)');
    // Learn's policy-expression examples read a header with a verbatim regex holding a named group.
    expect(top('<value>@(Regex.Match(s, @"max-age=(?<age>\\d+)").Groups["age"]?.Value)</value>')).toBe('value');
    const setBody = scanXml(xml).children[0]!.children[0]!;
    expect(xml.slice(setBody.openEnd, setBody.closeStart)).toBe(`\n    ${body}\n  `);
  });

  it('scans text as markup when it is no expression: no bracket after @, no @, or an expression that never closes', () => {
    expect(top('<v>@x <c/> (y)</v>')).toBe('v(c)');
    expect(top('<v>t(<c/>)</v>')).toBe('v(c)');
    expect(top('<v>@(a <c/></v><d/>')).toBe('v(c) d');
    expect(top('<v>@("a)</v><d/>')).toBe('v d');
  });

  it('lets the rewrite find set-backend-service after a set-variable with quotes and a generic in its value, and import read a raw counter-key', () => {
    const xml = [
      '<policies>',
      '    <inbound>',
      '        <base />',
      '        <set-variable name="sub" value="@(context.Request.Headers.GetValueOrDefault("Authorization","").AsJwt()?.Claims.GetValueOrDefault<string>("sub"))" />',
      '        <set-backend-service backend-id="pool" />',
      '    </inbound>',
      '</policies>',
    ].join('\n');
    expect(readWiring(xml).backendId).toBe('pool');
    const limit = '<azure-openai-token-limit counter-key="@(context.Request.Headers.GetValueOrDefault("x-tenant", ""))" tokens-per-minute="500" estimate-prompt-tokens="false" />';
    expect(readTokenPolicies(xml.replace('<base />', limit)).tokenLimit?.counterKey).toEqual({ header: 'x-tenant' });
    const out = rewritePolicy(xml, { backendId: 'other' });
    expect(out.slice(0, out.indexOf('</inbound>'))).toBe(xml.slice(0, xml.indexOf('</inbound>')).replace('backend-id="pool"', 'backend-id="other"'));
  });
});

describe('a document full of expressions that never close', () => {
  it('is read the plain way once the expression budget (twice its length) is spent, not rescanned to its end from each', () => {
    const good = '<set-header name="h"><value>@(x.Get<string>("a>b"))</value></set-header>';
    const unit = '<a x="@(" />';
    const n = Math.floor(256_000 / unit.length);
    const xml = `<policies><inbound>${good}${unit.repeat(n)}</inbound></policies>`;
    const inbound = scanXml(xml).children[0]!.children[0]!;
    // The well-formed expression before them is still read whole, and every unclosed one is a plain attribute.
    expect(inbound.children[0]!.children[0]!.name).toBe('value');
    expect(inbound.children.length).toBe(n + 1);
    expect(inbound.children.at(-1)!.attrs.get('x')!.value).toBe('@(');
    expect(inbound.children.every((c, i) => i === 0 || c.selfClosing)).toBe(true);
  });

  it('once spent, reads even a well-formed expression after them the plain way (in an expression or in a C# literal)', () => {
    const good = '<value>@(x.Get<string>("a"))</value>';
    for (const unit of ['<a x="@(" />', '<a x="@(\'" />']) {
      const read = (xml: string) => scanXml(`<p>${xml}</p>`).children[0]!.children.map((c) => `${c.name}(${c.children.map((g) => g.name).join(' ')})`);
      // One unclosed expression spends about the document once: the good one after it is still read whole.
      expect(read(`${unit}${good}`), unit).toEqual(['a()', 'value()']);
      // Three spend the budget of twice the document: after them `<string>` is read as markup.
      expect(read(`${unit.repeat(3)}${good}`), unit).toEqual(['a()', 'a()', 'a()', 'value(string)']);
    }
  });
});

describe('scanXmlChecked: what is not well-formed, and where', () => {
  const problems = (xml: string) => scanXmlChecked(xml).problems.map((p) => `${p.at} ${p.what}`);

  it('finds nothing in a well-formed policy with comments, CDATA, a declaration and expressions holding < and quotes', () => {
    const xml = `<?xml version="1.0"?><!-- <a> --><policies><inbound><set-header name="x"><value>@(h.Get<string>("a"))</value></set-header><![CDATA[<b>]]></inbound></policies>`;
    expect(problems(xml)).toEqual([]);
    expect(scanXmlChecked(xml).root).toEqual(scanXml(xml));
  });

  it('names an element closed by an ancestor, one left open at the end, and each of them', () => {
    expect(problems('<a><b><c/></a>')).toEqual(['3 <b> is never closed']);
    expect(problems('<a><b><c>')).toEqual(['0 <a> is never closed', '3 <b> is never closed', '6 <c> is never closed']);
  });

  it('names a closing tag that closes nothing, and one cut off by the end of the text', () => {
    expect(problems('</x><a/>')).toEqual(['0 </x> closes no open element']);
    expect(problems('<a></a')).toEqual(['3 </a> is cut off']);
    expect(problems('<a></b')).toEqual(['0 <a> is never closed', '3 </b> closes no open element', '3 </b> is cut off']);
  });

  it('names a comment, CDATA section or processing instruction never ended, and a start tag cut off', () => {
    expect(problems('<a/><!-- x')).toEqual(['4 a comment is never ended']);
    expect(problems('<a/><![CDATA[ x')).toEqual(['4 a CDATA section is never ended']);
    expect(problems('<a/><?pi x')).toEqual(['4 a declaration or processing instruction is never ended']);
    expect(problems('<r><a b="1></r>')).toEqual(['3 a start tag is cut off or has a quoted value that never closes']);
    expect(problems('<r/><a b')).toEqual(['4 a start tag is cut off or has a quoted value that never closes']);
    // A `<` before no name is not a tag in this reading (nothing is placed by it).
    expect(problems('<r>x < y</r>')).toEqual([]);
  });

  it('wellFormedProblem gives the first problem with its line and column', () => {
    expect(wellFormedProblem('<policies>\n  <inbound>\n    <base />\n</policies>')).toBe('<inbound> is never closed (line 2, column 3)');
    expect(wellFormedProblem('</x>\n<a>')).toBe('</x> closes no open element (line 1, column 1)');
    expect(wellFormedProblem('<a/>')).toBeUndefined();
    expect(lineAndColumn('ab\ncd\r\nef', 8)).toBe('line 3, column 2');
    expect(lineAndColumn('abc', 0)).toBe('line 1, column 1');
  });

  it('skips C# comments in an expression, so a quote or bracket in one is not code', () => {
    const line = `<p><value>@{ // don't read h<string> here\n return "a"; }</value><w/></p>`;
    expect(problems(line)).toEqual([]);
    expect(top(line)).toBe('p(value w)');
    const block = `<p><value>@{ /* it's ) not code */ return "a"; }</value><w/></p>`;
    expect(problems(block)).toEqual([]);
    expect(top(block)).toBe('p(value w)');
    // Brackets, quotes and markup inside either kind of comment are not code; a lone `/` is division, not a comment.
    for (const text of [
      `<p><value>@{ /* it's <x> ) } */ return "a"; }</value><w/></p>`,
      `<p><value>@{// it's <x> ) }\n return "a"; }</value><w/></p>`,
      `<p><value>@(a // it's ) <x>\n + 1)</value><w/></p>`,
      `<p><value>@(a / b<c>(d) /b)</value><w/></p>`,
      `<p><value>@(a /*/ ) <x> */ + 1)</value><w/></p>`,
    ]) {
      expect(problems(text), text).toEqual([]);
      expect(top(text), text).toBe('p(value w)');
    }
    // A comment never ended: the expression is not read as one, and the text is scanned as markup.
    expect(top(`<p><value>@{ /* <x/></value></p>`)).toBe('p(value(x))');
    expect(top(`<p><value>@{ // <x/></value></p>`)).toBe('p(value(x))');
  });
});
