import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWithYamlParser, simpleBlockMapping, simpleFlowMapping } from '../../src/parser/markdown/embedded-yaml.js';
import { LineIndex } from '../../src/parser/line-index.js';
import { propertySeed } from '../support/property-seed.js';

/** An annotation `{...}` as readAnnotation hands it over, placed after a few lines of a file so that spans have lines and columns. */
function both(source: string) {
  const prefix = '# T\n\n## P\n<!-- ';
  const index = new LineIndex(`${prefix}${source}\n`);
  const toFileOffset = (o: number) => prefix.length + o;
  return { fast: simpleFlowMapping(source, toFileOffset), full: parseWithYamlParser(source, toFileOffset, index, 'a.md') };
}

/** Mostly values that can be read directly, and some of every kind that cannot. */
const mostly = <T>(usual: T[], unusual: T[]) => fc.oneof({ arbitrary: fc.constantFrom(...usual), weight: 4 }, { arbitrary: fc.constantFrom(...unusual), weight: 1 });

/** Checks, on 3,000 generated texts, that a direct reader agrees with the YAML parser whenever it reads a text, and that it reads many. */
function agreesWithYamlParser(source: fc.Arbitrary<string>, read: (s: string) => { fast: unknown; full: unknown }): void {
  let readDirectly = 0;
  fc.assert(
    fc.property(source, (s) => {
      const { fast, full } = read(s);
      if (fast) readDirectly++;
      if (fast) expect(fast).toEqual(full);
    }),
    { numRuns: 3000, seed: propertySeed() },
  );
  expect(readDirectly).toBeGreaterThan(100);
}

describe('one-line annotations read without the YAML parser', () => {
  it('reads the usual annotations directly, with the same data and positions as the YAML parser', () => {
    for (const source of ['{id: drain-node}', '{ id: offline-1, scope: each-node, variants: [ offline ], parallel: { throttle: 8 } }', '{a: {b: c, d: 1}, e: Microsoft.Plugin}', '{ id: patch, scope: each-node }', '{ id: stop, variants: [ offline ] }', '{v: [a,b , 2], w: [], x: [true]}', '{id: x, retries: 2, reboots: true, parallel: false, timeoutMinutes: 240}', '{ id: a,\tb:\tc ,d: 0}']) {
      const { fast, full } = both(source);
      expect(fast).toBeDefined();
      expect(fast).toEqual(full);
    }
  });

  it('leaves anything else to the YAML parser', () => {
    for (const source of ['{id: x, id: y}', '{a: null}', '{a: True}', '{a: 007}', '{a: 1e3}', '{a: x y}', '{a: x, }', '{a:x}', "{a: 'x'}", '{a: x} ', '{a: 1234567890123456}', '{a: x # c}', '{__proto__: x}', '{a: [x, null]}', '{a: [x,]}', '{a: [[x]]}', '{a: [x y]}', '{a: {}}', '{a: {b: {c: d}}}', '{a: {b: null}}', '{a: {b: c, b: d}}', '{a: {b c}}', '{a: 1.5}', '{a: .x}']) {
      expect(both(source).fast).toBeUndefined();
    }
  });

  it('never disagrees with the YAML parser', () => {
    const key = mostly(['id', 'scope', 'retries', 'a', 'B2'], ['2b', '__proto__', 'a-b', 'x_y', 'é', 'aé']);
    const value = mostly(
      ['x', 'each-node', 'a-', 'true', 'false', 'yes', 'no', 'on', 'NaN', 'Infinity', '0', '12', '123456789012345', '[ a ]', '[a,b]', '[ x , 0 ,true ]', '[]', '[ ]', 'Microsoft.WindowsUpdatePlugin', 'a.', 'a..b', '{ throttle: 8 }', '{a: b,c: 1}', '{ x: [a] }'],
      ['{}', '{ a: null }', '{a: {b: c}}', '{a b}', '{a: b,}', '[a,]', '[ null ]', '[a b]', '[[a]]', '[a, {b: c}]', 'True', 'FALSE', 'null', 'NULL', '~', '.inf', '.nan', '00', '007', '-1', '+1', '1e3', '0x1F', '0o7', '1.5', '1234567890123456', "'q'", '"q"', 'a b', 'a#b', '', '1a', '0a', 'é', 'xé'],
    );
    const space = fc.constantFrom('', ' ', '  ', '\t');
    const pair = fc.tuple(space, key, mostly([': ', ':\t'], [':', ' : ']), value, space).map((p) => p.join(''));
    const source = fc
      .tuple(fc.array(pair, { minLength: 1, maxLength: 4 }), fc.constantFrom(',', ', ', ' ,'), mostly(['}', ' }'], [', }', '} ']))
      .map(([pairs, comma, end]) => `{${pairs.join(comma)}${end}`);
    agreesWithYamlParser(source, both);
  });

  it('reads `yaml cau` blocks of `key: value` lines directly, never disagreeing with the YAML parser', () => {
    const blockBoth = (source: string) => {
      const prefix = '# T\n\n```yaml cau\n';
      const index = new LineIndex(`${prefix}${source}\n\`\`\`\n`);
      const toFileOffset = (o: number) => prefix.length + o;
      return { fast: simpleBlockMapping(source, toFileOffset), full: parseWithYamlParser(source, toFileOffset, index, 'a.md') };
    };
    const usual = 'action: run\nplugin: Microsoft.WindowsUpdatePlugin\noptions:\n  MaxFailedNodes: 1\n  RequireAllNodesOnline: true';
    expect(blockBoth(usual).fast).toBeDefined();
    expect(blockBoth(usual).fast).toEqual(blockBoth(usual).full);
    const key = mostly(['action', 'plugin', 'options', 'MaxFailedNodes', 'a'], ['2b', 'a-b', 'x_y', '__proto__']);
    const value = mostly(
      ['scan', 'Microsoft.WindowsUpdatePlugin', 'true', 'false', '0', '3', 'yes', 'a-b.c'],
      ['null', 'True', '"true"', "'x'", '1.5', '~', 'a b', 'a #c', '[a]', '{a: b}', '', '007', '-1'],
    );
    const pair = fc.tuple(key, mostly([': '], [':', ':  ', ' : ', ':\t']), value, mostly([''], [' ', '\t'])).map((p) => p.join(''));
    const line = fc.oneof({ arbitrary: pair, weight: 4 }, { arbitrary: pair.map((p) => `  ${p}`), weight: 2 }, { arbitrary: key.map((k) => `${k}:`), weight: 1 }, { arbitrary: fc.constantFrom('', '# c', '   x: y', '- a'), weight: 1 });
    const source = fc.tuple(fc.array(line, { minLength: 1, maxLength: 6 }), mostly([''], ['\n'])).map(([lines, end]) => lines.join('\n') + end);
    agreesWithYamlParser(source, blockBoth);
  });
});
