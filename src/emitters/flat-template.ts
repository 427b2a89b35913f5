/**
 * A compiler of our own for the emitters' templates (templates.ts, FLAT_TEMPLATES): it turns a
 * template's Handlebars syntax tree into plain JavaScript that gives the text Handlebars gives, for
 * the part of the language those templates use. The template files stay Handlebars, and logic-free.
 *
 * Why: the templates of phases render every step of a large runbook, three times per variant
 * (script, HTML and Markdown checklists), and the start of a document lists every step, phase and
 * file. The Handlebars runtime builds, at every `{{#if}}`, `{{#each}}` and helper call, an options
 * object with its source location (five objects), and reads every field through its
 * prototype-access check; at 10,000 steps that was a third of the rendering, and most of its
 * allocation. The code generated here reads fields directly, tests conditions inline, and hands
 * each helper one options object made once per call site.
 *
 * The subset, with Handlebars' meaning (a test renders every template both ways and compares):
 * text; `{{field}}`, `{{a.b}}`, `{{this}}` (strict: a missing last field is an error; escaped for
 * HTML unless the template is compiled with noEscape); `{{helper arg "literal" 2}}` for the helpers
 * the template's options list (knownHelpers); `{{#if x}}`, `{{#unless x}}` with `{{else}}`;
 * `{{#each list}}` as templates.ts's `each` (lists only), with `@index`, `@first` and `@last` in
 * its body; block helpers from the list (`{{#indent 4}}`); partials `{{> name}}` and
 * `{{> name field}}`. Anything else (other `@` data, `../`, hash arguments, sub-expressions,
 * decorators, inline partials, a template that is not strict) is refused when the template is
 * compiled, never rendered some other way.
 *
 * Field names are checked when compiling: a name Object.prototype has (`constructor`, `toString`)
 * is refused, so that a direct read can only find the view's own data.
 */

/** The compile options this compiler reads (the rest of templates.ts's TemplateCompileOptions do not apply). */
export interface FlatCompileOptions {
  noEscape?: boolean;
  strict?: boolean;
  preventIndent?: boolean;
  knownHelpers?: Record<string, boolean>;
}

/** What a generated template needs at run time (templates.ts builds it). */
export interface FlatRuntime {
  helpers: Record<string, (...args: unknown[]) => unknown>;
  partial(name: string): (context: unknown) => string;
  /** Handlebars' HTML escaping (Handlebars.Utils.escapeExpression). */
  escape(value: unknown): string;
  /** A strict lookup that failed: throws as Handlebars does. */
  missing(context: unknown, name: string, loc: SourceLocation): never;
  each(list: unknown, context: unknown, fn: (item: unknown, index: number, length: number) => string, inverse: (context: unknown) => string): string;
  truthy(value: unknown): boolean;
  /** The options a helper receives at one call site, made once. */
  options(name: string, loc: SourceLocation, fn?: (context: unknown) => string, inverse?: (context: unknown) => string): object;
}

export type FlatTemplateFactory = (runtime: FlatRuntime) => (context: unknown) => string;

export interface SourceLocation {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

// The Handlebars syntax tree, as far as it is read here (Handlebars.parse, with its whitespace control applied).
interface Node {
  type: string;
  loc: SourceLocation;
}
interface ProgramNode extends Node {
  body: Node[];
  blockParams?: string[];
}
interface PathNode extends Node {
  data: boolean;
  depth: number;
  parts: string[];
  original: string;
}
interface LiteralNode extends Node {
  value: string | number | boolean;
}
interface CallNode extends Node {
  path: Node;
  params: Node[];
  hash?: unknown;
}
interface MustacheNode extends CallNode {
  escaped: boolean;
}
interface BlockNode extends CallNode {
  program?: ProgramNode;
  inverse?: ProgramNode;
}
interface PartialNode extends Node {
  name: Node;
  params: Node[];
  hash?: unknown;
  indent?: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The `@` data of an each's body, as expressions over the item's position `i` and the list's length `n`. */
const EACH_DATA: Record<string, string> = { index: 'i', first: '(i === 0)', last: '(i === n - 1)' };

/**
 * JavaScript source of a FlatTemplateFactory for the template whose syntax tree is `ast`.
 * `name` is for error messages.
 */
export function compileFlatTemplate(ast: unknown, options: FlatCompileOptions, name: string): string {
  if (!options.strict) throw new Error(`${name}: the flat compiler compiles strict templates only`);
  const helpers = new Set(Object.entries(options.knownHelpers ?? {}).filter(([, known]) => known).map(([helper]) => helper));
  const functions: string[] = [];
  const constants: string[] = [];
  const partials = new Map<string, string>();

  const fail = (node: Node, message: string): never => {
    throw new Error(`${name}:${node.loc.start.line}:${node.loc.start.column}: ${message} (not in the flat templates' subset of Handlebars)`);
  };
  const constant = (source: string): string => {
    constants.push(`const k${constants.length} = ${source};`);
    return `k${constants.length - 1}`;
  };
  const fieldName = (node: Node, field: string): string => {
    if (!IDENTIFIER.test(field) || field in Object.prototype) fail(node, `unexpected field name ${JSON.stringify(field)}`);
    return field;
  };

  /**
   * Whether the code being generated is the body of an `{{#each}}`, whose function receives the
   * item's position `i` and the list's length `n` (`@index`, `@first`, `@last`). A block helper's
   * content or a partial is a function of its own, without them.
   */
  let inEach = false;

  /** A path read without a presence check (a helper's or a block's argument), as Handlebars does in strict mode. */
  const read = (node: Node): string => {
    if (node.type === 'StringLiteral' || node.type === 'NumberLiteral' || node.type === 'BooleanLiteral') return JSON.stringify((node as LiteralNode).value);
    if (node.type !== 'PathExpression') return fail(node, `unexpected ${node.type}`);
    const path = node as PathNode;
    if (path.data) {
      const position = inEach && path.parts.length === 1 && Object.hasOwn(EACH_DATA, path.parts[0]!) ? EACH_DATA[path.parts[0]!] : undefined;
      return position ?? fail(node, `unexpected @ data \`${path.original}\``);
    }
    if (path.depth > 0) fail(node, `unexpected parent context \`${path.original}\``);
    return ['c', ...path.parts.map((p) => fieldName(node, p))].join('.');
  };

  /** `{{a.b}}`: the last field must be present (Handlebars' strict mode). */
  const readStrict = (node: Node): string => {
    const path = node as PathNode;
    if (node.type !== 'PathExpression' || path.parts.length === 0 || path.data) return read(node);
    read(node); // checks the path
    const owner = ['c', ...path.parts.slice(0, -1)].join('.');
    const field = path.parts[path.parts.length - 1]!;
    const loc = constant(JSON.stringify(node.loc));
    return `(${JSON.stringify(field)} in ${owner} ? ${owner}.${field} : rt.missing(${owner}, ${JSON.stringify(field)}, ${loc}))`;
  };

  const helperName = (node: CallNode): string | undefined => {
    const path = node.path as PathNode;
    return node.path.type === 'PathExpression' && path.parts.length === 1 && !path.data && path.depth === 0 && path.original === path.parts[0] ? path.parts[0] : undefined;
  };

  const checkCall = (node: CallNode): void => {
    if (node.hash) fail(node, 'unexpected hash arguments');
    for (const param of node.params) if (param.type === 'SubExpression') fail(param, 'unexpected sub-expression');
  };

  /** A program as a function of its context (and, for the body of an each, `i` and `n`); returns the function's name. */
  const program = (node: ProgramNode | undefined, eachBody = false): string => {
    if (!node || node.body.length === 0) return 'empty';
    if (node.blockParams) fail(node, 'unexpected block parameters');
    const id = `p${functions.length}`;
    const index = functions.push('') - 1;
    const outer = inEach;
    inEach = eachBody;
    functions[index] = `function ${id}(c${eachBody ? ', i, n' : ''}) {\n  let r;\n  return ${inline(node)};\n}`;
    inEach = outer;
    return id;
  };

  /** A program as an expression over the current context `c`. */
  const inline = (node: ProgramNode | undefined): string => {
    if (!node || node.body.length === 0) return '""';
    if (node.blockParams) fail(node, 'unexpected block parameters');
    return ['""', ...node.body.map(statement).filter((s) => s !== '')].join('\n    + ');
  };

  const statement = (node: Node): string => {
    switch (node.type) {
      case 'ContentStatement': {
        const value = (node as unknown as { value: string }).value;
        return value === '' ? '' : JSON.stringify(value);
      }
      case 'CommentStatement':
        return '';
      case 'MustacheStatement':
        return mustache(node as MustacheNode);
      case 'BlockStatement':
        return block(node as BlockNode);
      case 'PartialStatement':
        return partial(node as PartialNode);
      default:
        return fail(node, `unexpected ${node.type}`);
    }
  };

  const mustache = (node: MustacheNode): string => {
    checkCall(node);
    const escape = node.escaped && !options.noEscape;
    const helper = helperName(node);
    let value: string;
    if (helper !== undefined && helpers.has(helper)) {
      const args = [...node.params.map(read), constant(`rt.options(${JSON.stringify(helper)}, ${JSON.stringify(node.loc)})`)];
      value = `rt.helpers.${fieldName(node, helper)}.call(c, ${args.join(', ')})`;
    } else {
      if (node.params.length > 0) fail(node, `unexpected helper \`${(node.path as PathNode).original}\` (not in the template's known helpers)`);
      value = readStrict(node.path);
    }
    return escape ? `rt.escape(${value})` : `((r = ${value}) != null ? r : "")`;
  };

  const block = (node: BlockNode): string => {
    checkCall(node);
    const helper = helperName(node);
    const one = (): string => {
      if (node.params.length !== 1) fail(node, `#${helper} takes one argument`);
      return read(node.params[0]!);
    };
    switch (helper) {
      case 'if':
        return `(rt.truthy(${one()}) ? ${inline(node.program)} : ${inline(node.inverse)})`;
      case 'unless':
        return `(rt.truthy(${one()}) ? ${inline(node.inverse)} : ${inline(node.program)})`;
      case 'each':
        return `rt.each(${one()}, c, ${program(node.program, true)}, ${program(node.inverse)})`;
      default: {
        if (helper === undefined || !helpers.has(helper)) return fail(node, `unexpected block \`${(node.path as PathNode).original}\` (not in the template's known helpers)`);
        const options = constant(`rt.options(${JSON.stringify(helper)}, ${JSON.stringify(node.loc)}, ${program(node.program)}, ${program(node.inverse)})`);
        return `((r = rt.helpers.${fieldName(node, helper)}.call(c, ${[...node.params.map(read), options].join(', ')})) != null ? r : "")`;
      }
    }
  };

  const partial = (node: PartialNode): string => {
    if (node.hash) fail(node, 'unexpected hash arguments');
    if (node.name.type !== 'PathExpression') fail(node, 'unexpected dynamic partial');
    const partialName = (node.name as PathNode).original;
    if (node.params.length > 1) fail(node, 'a partial takes at most one argument');
    // A partial alone on its line: Handlebars indents its lines as that line is, unless preventIndent,
    // with which it prints the indentation once, before the partial.
    let indent = '';
    if (node.indent) {
      if (!options.preventIndent) fail(node, 'unexpected indented partial');
      indent = `${JSON.stringify(node.indent)} + `;
    }
    if (!partials.has(partialName)) partials.set(partialName, `partial${partials.size}`);
    return `${indent}${partials.get(partialName)!}(${node.params.length === 1 ? read(node.params[0]!) : 'c'})`;
  };

  const main = program(ast as ProgramNode);
  return [
    '(function (rt) {',
    '"use strict";',
    'const empty = () => "";',
    ...[...partials].map(([partialName, id]) => `const ${id} = rt.partial(${JSON.stringify(partialName)});`),
    ...constants,
    ...functions,
    `return ${main};`,
    '})',
  ].join('\n');
}
