/**
 * A guard for author commands before the emitter wraps them in a script block (and, through
 * RB510, a check that tells the author first): their braces, brackets and parentheses must balance, and no string, here-string or block comment may be left open. Otherwise
 * a command such as `Get-Date }; Remove-Item X; {` would close the generated script block and run
 * outside the step (and outside its gate), or an unclosed `{` would swallow the rest of the script.
 *
 * This is a scanner, not a parser: it knows PowerShell's quoting (all single- and double-quote
 * characters, doubled quotes, backtick escapes, `$( )` inside double-quoted strings, here-strings)
 * and comments, which is what decides whether a bracket is code. Its answer is conservative:
 * anything it cannot classify as balanced is refused, with the line and column.
 */

const SINGLE = /['\u2018\u2019\u201A\u201B]/;
const DOUBLE = /["\u201C\u201D\u201E]/;
const CLOSER: Record<string, string> = { '{': '}', '(': ')', '[': ']' };

export interface StructureProblem {
  /** 0-based offset within the command text. */
  index: number;
  /** 1-based, within the command text. */
  line: number;
  column: number;
  message: string;
}

type Frame =
  | { kind: 'code'; brackets: Array<{ char: string; at: number }>; endsWith?: ')' }
  | { kind: 'dq'; at: number }
  | { kind: 'sq'; at: number }
  | { kind: 'here'; quote: 'single' | 'double'; at: number }
  | { kind: 'block-comment'; at: number };

function position(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}

/** What a refused command is told, after the problem itself. */
export const REFUSED_COMMAND_REASON = 'the generated script runs each command inside a script block, and refuses one whose brackets, strings or comments it cannot prove closed';

/** Returns the first structural problem of `text`, or undefined when it is balanced. */
export function findStructureProblem(text: string): StructureProblem | undefined {
  const stack: Frame[] = [{ kind: 'code', brackets: [] }];
  const problem = (index: number, message: string): StructureProblem => ({ index, ...position(text, index), message });
  let i = 0;
  while (i < text.length) {
    const frame = stack[stack.length - 1]!;
    const c = text[i]!;
    const next = text[i + 1] ?? '';
    switch (frame.kind) {
      case 'code': {
        if (c === '`') {
          i += 2;
          continue;
        }
        if (c === '<' && next === '#') {
          stack.push({ kind: 'block-comment', at: i });
          i += 2;
          continue;
        }
        // `#` starts a comment only at the start of a token (`a#b` is one bareword).
        if (c === '#' && (i === 0 || /[\s;|&(){},]/.test(text[i - 1]!))) {
          while (i < text.length && text[i] !== '\n') i++;
          continue;
        }
        if (c === '$' && next === '{') {
          // A braced variable name, `${any name}`: its content is not code.
          let j = i + 2;
          while (j < text.length && text[j] !== '}') j += text[j] === '`' ? 2 : 1;
          if (j >= text.length) return problem(i, 'Unexpected `${` that is never closed, expected `}`');
          i = j + 1;
          continue;
        }
        if (c === '@' && (SINGLE.test(next) || DOUBLE.test(next)) && /^[ \t]*(\r?\n)/.test(text.slice(i + 2))) {
          stack.push({ kind: 'here', quote: SINGLE.test(next) ? 'single' : 'double', at: i });
          i = text.indexOf('\n', i + 2) + 1;
          continue;
        }
        if (SINGLE.test(c)) {
          stack.push({ kind: 'sq', at: i });
          i++;
          continue;
        }
        if (DOUBLE.test(c)) {
          stack.push({ kind: 'dq', at: i });
          i++;
          continue;
        }
        if (c === '{' || c === '(' || c === '[') {
          frame.brackets.push({ char: c, at: i });
          i++;
          continue;
        }
        if (c === '}' || c === ')' || c === ']') {
          const open = frame.brackets.pop();
          if (open === undefined) {
            if (c === ')' && frame.endsWith === ')') {
              stack.pop();
              i++;
              continue;
            }
            return problem(i, `Unexpected \`${c}\` with nothing open, expected the command's brackets to balance`);
          }
          if (CLOSER[open.char] !== c) {
            return problem(i, `Unexpected \`${c}\`, expected \`${CLOSER[open.char]}\` to close the \`${open.char}\` at ${describe(text, open.at)}`);
          }
          i++;
          continue;
        }
        i++;
        continue;
      }
      case 'sq':
        if (SINGLE.test(c)) {
          if (SINGLE.test(next)) {
            i += 2;
            continue;
          }
          stack.pop();
        }
        i++;
        continue;
      case 'dq':
        if (c === '`') {
          i += 2;
          continue;
        }
        if (c === '$' && next === '(') {
          stack.push({ kind: 'code', brackets: [], endsWith: ')' });
          i += 2;
          continue;
        }
        if (DOUBLE.test(c)) {
          if (DOUBLE.test(next)) {
            i += 2;
            continue;
          }
          stack.pop();
        }
        i++;
        continue;
      case 'here': {
        // The footer is a quote of the same kind followed by @, at the start of a line.
        const atLineStart = i === 0 || text[i - 1] === '\n';
        const quote = frame.quote === 'single' ? SINGLE : DOUBLE;
        if (atLineStart && quote.test(c) && next === '@') {
          stack.pop();
          i += 2;
          continue;
        }
        i++;
        continue;
      }
      case 'block-comment':
        if (c === '#' && next === '>') {
          stack.pop();
          i += 2;
          continue;
        }
        i++;
        continue;
    }
  }
  const top = stack[stack.length - 1]!;
  switch (top.kind) {
    case 'code': {
      if (stack.length > 1) return problem(text.length, 'Unexpected end of the command inside `$(`, expected `)`');
      const open = top.brackets.pop();
      if (open) return problem(open.at, `Unexpected \`${open.char}\` that is never closed, expected \`${CLOSER[open.char]}\` before the end of the command`);
      return undefined;
    }
    case 'sq':
    case 'dq':
      return problem(top.at, 'Unexpected string that is never closed, expected a closing quote before the end of the command');
    case 'here':
      return problem(top.at, 'Unexpected here-string that is never closed, expected its closing quote and `@` at the start of a line');
    case 'block-comment':
      return problem(top.at, 'Unexpected `<#` comment that is never closed, expected `#>`');
  }
}

function describe(text: string, index: number): string {
  const p = position(text, index);
  return `line ${p.line}, column ${p.column} of the command`;
}

/**
 * findStructureProblem, once per distinct command text: a build checks every command before emitting
 * (emit.ts), then again as each variant's script wraps it, and the same command text often recurs (a
 * drain or a check in each per-node phase). Safe to reuse: the scan reads the text alone. Emptied
 * when it grows large, so that a long watch session does not keep every text it has seen.
 */
const structureProblems = new Map<string, StructureProblem | undefined>();

export function structureProblemOf(text: string): StructureProblem | undefined {
  if (structureProblems.has(text)) return structureProblems.get(text);
  const problem = findStructureProblem(text);
  if (structureProblems.size >= 20_000) structureProblems.clear();
  structureProblems.set(text, problem);
  return problem;
}
