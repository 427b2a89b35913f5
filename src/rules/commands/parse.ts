/**
 * A PowerShell reader for the commands written in runbooks.
 *
 * It finds every command invocation (also inside parentheses, subexpressions, script blocks,
 * hashtables and expandable strings), with its parameters and arguments, and notes syntax that
 * Windows PowerShell 5.1 does not accept. It follows PowerShell's own tokenizer where that matters
 * for checking commands: the Unicode quote and dash classes, backtick line continuations, splats,
 * hashtables, pipelines, command mode versus expression mode. It is not a full PowerShell parser:
 * what it cannot classify it skips, and it never throws on any input.
 */
import { endsBareword, isBlank, isDash, isDoubleQuote, isIdentifierChar, isNewline, isSingleQuote } from './chars.js';
import type { TextRange } from '../../powershell/command-span.js';

export type { TextRange };

/** How a value starts that PowerShell reads as a value at the start of a statement too: a variable, a string, a number, a group or a type. */
const VALUE_START = /^(?:\$[\p{L}\p{N}_{?^$(]|['"\u2018\u2019\u201A\u201B\u201C\u201D\u201E(0-9[]|@[({])/u;

/** PowerShell's operators spelled as words (after the dash), with their `c` and `i` forms. */
const OPERATOR_NAME = /^(?:[ci]?(?:eq|ne|gt|ge|lt|le|like|notlike|match|notmatch|contains|notcontains|in|notin|replace|split)|join|and|or|xor|not|band|bor|bxor|bnot|shl|shr|is|isnot|as|f)$/i;
/** The word operators that also stand before a single operand. */
const UNARY_OPERATOR_NAME = /^(?:not|bnot|join|split)$/i;

export type ArgValue =
  | { kind: 'string'; value: string; expandable: boolean; range: TextRange }
  | { kind: 'number'; text: string; range: TextRange }
  | { kind: 'variable'; name: string; range: TextRange }
  | { kind: 'bareword'; value: string; range: TextRange }
  | { kind: 'splat'; name: string; range: TextRange }
  | { kind: 'scriptblock'; range: TextRange }
  | { kind: 'hashtable'; entries: HashtableEntry[]; range: TextRange }
  | { kind: 'array'; items: ArgValue[]; range: TextRange }
  | { kind: 'expression'; range: TextRange };

export interface HashtableEntry {
  key?: string;
  value?: ArgValue;
  range: TextRange;
}

export interface CommandParameter {
  kind: 'parameter';
  /** The name as written, without the dash. */
  name: string;
  /** The dash character used: `-`, or an en dash, em dash or horizontal bar. */
  dash: string;
  range: TextRange;
  /** The value given with a colon, as in `-Confirm:$false`. */
  colonValue?: ArgValue;
}

export interface CommandArgument {
  kind: 'argument';
  value: ArgValue;
  range: TextRange;
}

export type CommandElement = CommandParameter | CommandArgument;

export interface CommandAst {
  name: string;
  nameRange: TextRange;
  /** `&` or `.` when the command is invoked through an operator. */
  invocationOperator?: '&' | '.';
  elements: CommandElement[];
  range: TextRange;
  /** 0 for the first command of its pipeline. */
  pipelinePosition: number;
  /** The commands of the pipeline this one belongs to, in order (expressions are not listed). */
  pipeline: CommandAst[];
  /** True when something (a command or an expression) feeds this command through a pipe. */
  hasPipelineInput: boolean;
}

export type Ps7SyntaxKind =
  | 'pipeline-chain'
  | 'ternary'
  | 'null-coalescing'
  | 'null-coalescing-assignment'
  | 'null-conditional-member'
  | 'null-conditional-index'
  | 'clean-block'
  | 'background-operator'
  | 'escape-e'
  | 'escape-u'
  | 'binary-literal'
  | 'numeric-suffix'
  | 'leading-pipe';

export interface Ps7Syntax {
  kind: Ps7SyntaxKind;
  text: string;
  range: TextRange;
}

export interface ParseProblem {
  message: string;
  range: TextRange;
}

export interface ParsedScript {
  commands: CommandAst[];
  ps7Syntax: Ps7Syntax[];
  /** `<ClusterName>`-style placeholders left in commands, as in documentation samples. */
  placeholders: Array<{ text: string; range: TextRange }>;
  problems: ParseProblem[];
  /** Every string literal with a constant value, for checks that look for secrets. */
  strings: Array<{ value: string; range: TextRange }>;
  /**
   * Every variable the script names (`$Name`, `${Name}`, in expandable strings too), in order;
   * `sets` when the script gives it a value there (an assignment, a `foreach` or `param` variable).
   */
  variables: VariableUse[];
}

export interface VariableUse {
  /** As written, without `$` or braces: `Node`, `env:COMPUTERNAME`, `_`. */
  name: string;
  range: TextRange;
  sets: boolean;
}

const KEYWORDS_WITH_CONDITION = new Set(['if', 'elseif', 'while', 'switch', 'foreach', 'for']);
const NAMED_BLOCKS = new Set(['begin', 'process', 'end', 'clean', 'dynamicparam']);
const ASSIGNMENT_OPERATORS = ['??=', '+=', '-=', '*=', '/=', '%=', '='];
const NUMBER = /^(0x[0-9a-f]+|0b[01]+|\d+(\.\d+)?(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?)(y|uy|s|us|u|ul|l|n|d)?(kb|mb|gb|tb|pb)?$/i;
const PS7_NUMBER_SUFFIX = /^[0-9.]+(e[+-]?\d+)?(y|uy|s|us|u|ul|n)(kb|mb|gb|tb|pb)?$/i;
const PLACEHOLDER = /^<[^<>\r\n]{1,60}>$/;

/**
 * Whether the parameter `name` is given to `cmd` as PowerShell binds it: by a prefix of its name at
 * least `minLength` long (or the whole name). A switch turned off (`-Wait:$false`, `-WhatIf:$false`)
 * is not given.
 */
export function parameterGiven(cmd: CommandAst, name: string, minLength = 3): boolean {
  const lower = name.toLowerCase();
  return cmd.elements.some(
    (e) =>
      e.kind === 'parameter' &&
      e.name.length >= Math.min(minLength, lower.length) &&
      lower.startsWith(e.name.toLowerCase()) &&
      !(e.colonValue?.kind === 'variable' && e.colonValue.name.toLowerCase() === 'false'),
  );
}

export function parsePowerShell(text: string): ParsedScript {
  return new Reader(text).read();
}

class Reader {
  private pos = 0;
  private readonly out: ParsedScript = { commands: [], ps7Syntax: [], placeholders: [], problems: [], strings: [], variables: [] };

  constructor(private readonly text: string) {}

  read(): ParsedScript {
    this.statementList(null);
    while (this.pos < this.text.length) {
      // A stray closing bracket at top level: note it and go on reading after it.
      this.problem(`Unexpected \`${this.text[this.pos]}\`, expected a command or an expression`, this.pos, this.pos + 1);
      this.pos++;
      this.statementList(null);
    }
    this.out.commands.sort((a, b) => a.range.start - b.range.start);
    return this.out;
  }

  // ---- low level -------------------------------------------------------------------------

  private get c(): string | undefined {
    return this.text[this.pos];
  }

  private at(offset: number): string | undefined {
    return this.text[this.pos + offset];
  }

  private startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }

  private problem(message: string, start: number, end: number): void {
    this.out.problems.push({ message, range: { start, end } });
  }

  private ps7(kind: Ps7SyntaxKind, start: number, end: number): void {
    this.out.ps7Syntax.push({ kind, text: this.text.slice(start, end), range: { start, end } });
  }

  /** Skips blanks, backtick line continuations and comments, but not newlines. */
  private skipBlanks(): void {
    for (;;) {
      const c = this.c;
      if (isBlank(c)) this.pos++;
      else if (c === '`' && isNewline(this.at(1))) {
        this.pos += this.at(1) === '\r' && this.at(2) === '\n' ? 3 : 2;
      } else if (c === '<' && this.at(1) === '#') this.blockComment();
      else if (c === '#') {
        while (this.pos < this.text.length && !isNewline(this.c)) this.pos++;
      } else return;
    }
  }

  private skipBlanksAndNewlines(): void {
    for (;;) {
      this.skipBlanks();
      if (isNewline(this.c)) this.pos++;
      else return;
    }
  }

  private blockComment(): void {
    const end = this.text.indexOf('#>', this.pos + 2);
    if (end < 0) {
      this.problem('Unexpected end of text in a block comment, expected `#>`', this.pos, this.text.length);
      this.pos = this.text.length;
    } else this.pos = end + 2;
  }

  private atStatementEnd(): boolean {
    const c = this.c;
    return c === undefined || isNewline(c) || c === ';' || c === ')' || c === '}' || c === '|' || (c === '&' && this.at(1) === '&');
  }

  private readWord(): string {
    const start = this.pos;
    while (isIdentifierChar(this.c) || this.c === '-') this.pos++;
    return this.text.slice(start, this.pos);
  }

  // ---- statements ------------------------------------------------------------------------

  /** Reads statements until `closer` (not consumed) or the end of the text. */
  private statementList(closer: string | null): void {
    for (;;) {
      this.skipBlanksAndNewlines();
      while (this.c === ';') {
        this.pos++;
        this.skipBlanksAndNewlines();
      }
      if (this.c === undefined) return;
      if (closer !== null && this.c === closer) return;
      if (this.c === ')' || this.c === '}' || this.c === ']') {
        if (closer === null) return;
        this.problem(`Unexpected \`${this.c}\`, expected \`${closer}\``, this.pos, this.pos + 1);
        this.pos++;
        continue;
      }
      const before = this.pos;
      this.statement();
      if (this.pos === before) this.pos++;
    }
  }

  private statement(): void {
    const start = this.pos;
    const word = /^[A-Za-z]/.test(this.c ?? '') ? this.peekKeyword() : '';
    if (word && this.keywordStatement(word)) return;
    this.pos = start;
    this.pipelineChain();
  }

  private peekKeyword(): string {
    const m = /^[A-Za-z]+/.exec(this.text.slice(this.pos, this.pos + 16));
    if (!m) return '';
    const next = this.text[this.pos + m[0].length];
    if (next !== undefined && (isIdentifierChar(next) || next === '-' || next === '.' || next === '\\' || next === ':')) return '';
    return m[0].toLowerCase();
  }

  /** Returns false when the word is not a keyword here, so that it is read as a command name. */
  private keywordStatement(word: string): boolean {
    const start = this.pos;
    if (KEYWORDS_WITH_CONDITION.has(word)) {
      this.pos += word.length;
      this.skipBlanks();
      while (word === 'switch' && isDash(this.c)) {
        this.pos++;
        this.readWord();
        this.skipBlanks();
      }
      const named = this.out.variables.length;
      if (this.c === '(') this.group('(', ')');
      // `foreach ($server in $servers)`: the loop sets the first variable it names.
      if (word === 'foreach' && this.out.variables.length > named) this.out.variables[named]!.sets = true;
      this.skipBlanksAndNewlines();
      if (this.c === '{') this.group('{', '}');
      if (word === 'if') this.elseClauses();
      return true;
    }
    switch (word) {
      case 'else':
      case 'try':
      case 'finally':
      case 'data':
        this.pos += word.length;
        this.skipBlanksAndNewlines();
        if (this.c === '{') this.group('{', '}');
        return true;
      case 'do':
        this.pos += 2;
        this.skipBlanksAndNewlines();
        if (this.c === '{') this.group('{', '}');
        this.skipBlanksAndNewlines();
        if (/^(while|until)\b/i.test(this.text.slice(this.pos))) {
          this.readWord();
          this.skipBlanks();
          if (this.c === '(') this.group('(', ')');
        }
        return true;
      case 'catch':
      case 'trap':
        this.pos += word.length;
        this.skipBlanks();
        while (this.c === '[') {
          this.typeLiteral();
          this.skipBlanks();
          if (this.text[this.pos] === ',') this.pos++;
          this.skipBlanks();
        }
        this.skipBlanksAndNewlines();
        if (this.c === '{') this.group('{', '}');
        return true;
      case 'function':
      case 'filter':
      case 'workflow':
        this.pos += word.length;
        this.skipBlanks();
        while (this.c !== undefined && !isBlank(this.c) && !isNewline(this.c) && this.c !== '{' && this.c !== '(') this.pos++;
        this.skipBlanks();
        if (this.c === '(') this.group('(', ')');
        this.skipBlanksAndNewlines();
        if (this.c === '{') this.group('{', '}');
        return true;
      case 'param': {
        this.pos += 5;
        this.skipBlanks();
        const named = this.out.variables.length;
        if (this.c === '(') this.group('(', ')');
        // A script block's parameters are set by its caller (their defaults may name others; taken as set too).
        for (let i = named; i < this.out.variables.length; i++) this.out.variables[i]!.sets = true;
        return true;
      }
      case 'return':
      case 'throw':
      case 'exit':
        this.pos += word.length;
        this.skipBlanks();
        if (!this.atStatementEnd()) this.pipelineChain();
        return true;
      case 'break':
      case 'continue':
        this.pos += word.length;
        this.skipBlanks();
        if (!this.atStatementEnd()) this.readBareword();
        return true;
      default:
        if (NAMED_BLOCKS.has(word)) {
          const save = this.pos;
          this.pos += word.length;
          this.skipBlanksAndNewlines();
          if (this.c === '{') {
            if (word === 'clean') this.ps7('clean-block', start, start + word.length);
            this.group('{', '}');
            return true;
          }
          this.pos = save;
        }
        return false;
    }
  }

  private elseClauses(): void {
    for (;;) {
      const save = this.pos;
      this.skipBlanksAndNewlines();
      const word = this.peekKeyword();
      if (word === 'elseif' || word === 'else') {
        this.keywordStatement(word);
        if (word === 'else') return;
      } else {
        this.pos = save;
        return;
      }
    }
  }

  /** Pipelines joined by `&&` / `||`, optionally ending in the background operator `&`. */
  private pipelineChain(): void {
    this.pipeline();
    for (;;) {
      this.skipBlanks();
      if (this.startsWith('&&') || this.startsWith('||')) {
        this.ps7('pipeline-chain', this.pos, this.pos + 2);
        this.pos += 2;
        this.skipBlanksAndNewlines();
        this.pipeline();
        continue;
      }
      if (this.c === '&') {
        const start = this.pos;
        this.pos++;
        this.skipBlanks();
        if (this.atStatementEnd()) {
          this.ps7('background-operator', start, start + 1);
          return;
        }
        this.pos = start;
      }
      return;
    }
  }

  private pipeline(): void {
    const commands: CommandAst[] = [];
    let position = 0;
    let fed = false;
    for (;;) {
      this.skipBlanks();
      const command = this.pipelineElement(position, commands, fed);
      if (command) commands.push(command);
      this.skipBlanks();
      if (isNewline(this.c)) {
        // A pipeline continued by a `|` at the start of the next line: PowerShell 7 only.
        const lineEnd = this.pos;
        this.skipBlanksAndNewlines();
        if (this.c === '|' && this.at(1) !== '|') this.ps7('leading-pipe', this.pos, this.pos + 1);
        else this.pos = lineEnd;
      }
      if (this.c === '|' && this.at(1) !== '|') {
        const pipe = this.pos;
        this.pos++;
        this.skipBlanksAndNewlines();
        // this.at(0), not this.c: TypeScript still narrows this.c to `|` here.
        const next = this.at(0);
        if (next === undefined || next === ';' || next === ')' || next === '}') {
          this.problem('Unexpected end of the pipeline after `|`, expected a command', pipe, pipe + 1);
          return;
        }
        position++;
        fed = true;
        continue;
      }
      return;
    }
  }

  /** One element of a pipeline: a command (command mode) or an expression. */
  private pipelineElement(position: number, pipeline: CommandAst[], fed: boolean): CommandAst | undefined {
    const c = this.c;
    if (c === undefined || this.atStatementEnd()) return undefined;
    if ((c === '&' || c === '.') && (isBlank(this.at(1)) || isSingleQuote(this.at(1)) || isDoubleQuote(this.at(1)) || this.at(1) === '$' || this.at(1) === '{' || this.at(1) === '(')) {
      const op = c as '&' | '.';
      this.pos++;
      this.skipBlanks();
      return this.command(position, pipeline, fed, op);
    }
    if (this.startsCommandName()) return this.command(position, pipeline, fed);
    this.expression();
    return undefined;
  }

  private startsCommandName(): boolean {
    const c = this.c;
    if (c === undefined) return false;
    if (/[0-9]/.test(c)) {
      // `10` is a number; `7z.exe` is a command. Decide on the whole word.
      const word = /^[^\s|;&(){},\]]+/.exec(this.text.slice(this.pos))?.[0] ?? '';
      return !NUMBER.test(word) && !/^[0-9.]+(\.\.|[-+*/%]|$)/.test(word);
    }
    if (isIdentifierChar(c)) return true;
    // `?` and `%` are the Where-Object and ForEach-Object aliases in command position.
    if ((c === '?' || c === '%') && (isBlank(this.at(1)) || this.at(1) === '{')) return true;
    if (c === '\\' || (c === '.' && (this.at(1) === '\\' || this.at(1) === '/'))) return true;
    // `-Wait` (or `-eq`) starting a statement is a command's name to PowerShell; a unary operator
    // (`-not $x`) starts an expression.
    if (isDash(c) && /[\p{L}]/u.test(this.at(1) ?? '')) {
      const word = /^[\p{L}\p{N}_]+/u.exec(this.text.slice(this.pos + 1, this.pos + 64))?.[0] ?? '';
      return !UNARY_OPERATOR_NAME.test(word);
    }
    return false;
  }

  // ---- command mode ----------------------------------------------------------------------

  private command(position: number, pipeline: CommandAst[], fed: boolean, op?: '&' | '.'): CommandAst {
    const start = op ? this.pos - 1 : this.pos;
    const nameStart = this.pos;
    let name: string;
    if (op) {
      const value = this.argValue();
      name = value && (value.kind === 'string' || value.kind === 'bareword') ? value.value : this.text.slice(nameStart, this.pos);
    } else {
      name = this.readBareword();
    }
    const cmd: CommandAst = {
      name,
      nameRange: { start: nameStart, end: this.pos },
      elements: [],
      range: { start, end: this.pos },
      pipelinePosition: position,
      pipeline,
      hasPipelineInput: fed,
    };
    if (op) cmd.invocationOperator = op;
    this.out.commands.push(cmd);
    this.commandArguments(cmd);
    cmd.range.end = this.pos;
    return cmd;
  }

  private commandArguments(cmd: CommandAst): void {
    for (;;) {
      this.skipBlanks();
      const c = this.c;
      if (c === undefined || this.atStatementEnd()) return;
      if (c === '&') return; // the background operator, handled by the pipeline chain
      const before = this.pos;
      if (this.startsWith('--%')) {
        // Stop-parsing token: the rest of the line goes to the command verbatim.
        while (this.c !== undefined && !isNewline(this.c)) this.pos++;
        return;
      }
      if (isDash(c) && this.isParameterStart()) {
        cmd.elements.push(this.parameter());
      } else if (this.isRedirection()) {
        this.redirection();
      } else {
        const start = this.pos;
        const value = this.argValue(true);
        if (value) {
          const array = this.continueArray(value);
          cmd.elements.push({ kind: 'argument', value: array, range: { start, end: this.pos } });
        }
      }
      if (this.pos === before) {
        this.problem(`Unexpected \`${this.c}\`, expected a parameter or an argument`, this.pos, this.pos + 1);
        this.pos++;
      }
    }
  }

  private isParameterStart(): boolean {
    const next = this.at(1);
    if (next === undefined) return false;
    if (isDash(next)) return false; // `--` ends parameters; `--%` handled before
    return /[\p{L}_?]/u.test(next);
  }

  private parameter(): CommandParameter {
    const start = this.pos;
    const dash = this.c!;
    this.pos++;
    const nameStart = this.pos;
    while (this.c !== undefined && !endsBareword(this.c) && this.c !== ':' && this.c !== '.' && this.c !== '[' && !isSingleQuote(this.c) && !isDoubleQuote(this.c)) {
      this.pos++;
    }
    const name = this.text.slice(nameStart, this.pos);
    const param: CommandParameter = { kind: 'parameter', name, dash, range: { start, end: this.pos } };
    if (this.c === ':') {
      this.pos++;
      this.skipBlanks();
      const value = this.argValue();
      if (value) param.colonValue = this.continueArray(value);
      param.range = { start, end: this.pos };
    }
    return param;
  }

  private isRedirection(): boolean {
    return /^([1-6*]?>>?(&[12])?)/.test(this.text.slice(this.pos, this.pos + 5)) && (this.c === '>' || this.at(1) === '>' );
  }

  private redirection(): void {
    const m = /^([1-6*]?>>?(&[12])?)/.exec(this.text.slice(this.pos, this.pos + 5))!;
    this.pos += m[0].length;
    if (!m[2]) {
      this.skipBlanks();
      if (!this.atStatementEnd()) this.argValue();
    }
  }

  /** `a, b, c` in command mode. */
  private continueArray(first: ArgValue): ArgValue {
    this.skipBlanks();
    if (this.c !== ',') return first;
    const items = [first];
    while (this.c === ',') {
      this.pos++;
      this.skipBlanksAndNewlines();
      const next = this.argValue(true);
      if (!next) break;
      items.push(next);
      this.skipBlanks();
    }
    return { kind: 'array', items, range: { start: first.range.start, end: this.pos } };
  }

  /** One argument in command mode; `inArgument`: a command's argument, where a word may start with a variable (`$Path/logs`). */
  private argValue(inArgument = false): ArgValue | undefined {
    const start = this.pos;
    const c = this.c;
    if (c === undefined) return undefined;
    let value: ArgValue | undefined;
    if (c === '@' && (isSingleQuote(this.at(1)) || isDoubleQuote(this.at(1))) && this.isHereStringHeader()) value = this.hereString();
    else if (isSingleQuote(c)) value = this.singleQuoted();
    else if (isDoubleQuote(c)) value = this.doubleQuoted();
    else if (c === '@' && this.at(1) === '(') value = this.groupValue('@(', ')');
    else if (c === '@' && this.at(1) === '{') value = this.hashtable();
    else if (c === '@' && isIdentifierChar(this.at(1))) {
      this.pos++;
      const name = this.readVariableName();
      value = { kind: 'splat', name, range: { start, end: this.pos } };
      this.out.variables.push({ name, range: value.range, sets: false });
    } else if (c === '$') {
      value = this.variableOrSubexpression();
      // In an argument, a variable followed by more of a word is one word to PowerShell
      // (`$Name#2`, `$Path/logs`); a `#` there starts no comment.
      const next = this.c;
      if (inArgument && value.kind === 'variable' && !endsBareword(next) && next !== '.' && next !== '[' && next !== '=' && next !== ',') {
        this.readBareword();
        value = { kind: 'bareword', value: this.text.slice(start, this.pos), range: { start, end: this.pos } };
      }
    } else if (c === '(') value = this.groupValue('(', ')');
    else if (c === '{') {
      this.group('{', '}');
      value = { kind: 'scriptblock', range: { start, end: this.pos } };
    } else if (c === '<' && this.placeholderAhead()) value = this.placeholder();
    else if (c === ')' || c === '}' || c === ';' || c === '|' || isNewline(c)) return undefined;
    else {
      const word = this.readBareword();
      if (word === '') return undefined;
      value = NUMBER.test(word) ? { kind: 'number', text: word, range: { start, end: this.pos } } : { kind: 'bareword', value: word, range: { start, end: this.pos } };
    }
    if (value && value.kind !== 'bareword' && value.kind !== 'number') value = this.memberAccess(value);
    return value;
  }

  private readBareword(): string {
    let word = '';
    let from = this.pos;
    while (this.c !== undefined && !endsBareword(this.c)) {
      if (isSingleQuote(this.c) || isDoubleQuote(this.c)) {
        // A quote inside a bareword starts a string that is part of the word, as in PowerShell
        // (`a"b c"d` is the one argument `ab cd`): it runs to its closing quote, over blanks and
        // line breaks, and one never closed is a syntax error.
        word += this.text.slice(from, this.pos).replace(/`(.)/g, '$1');
        const part = isSingleQuote(this.c) ? this.singleQuoted() : this.doubleQuoted();
        if (part.kind === 'string') word += part.value;
        from = this.pos;
      } else if (this.c === '$' && this.at(1) === '(' && this.pos > from) {
        // A subexpression inside a word (`C:\Logs\$(Get-Date -Format yyyy)`) is read as one,
        // over line breaks; the word goes on after its `)`.
        this.group('$(', ')');
      } else if (this.c === '$' && this.at(1) === '{') {
        // So is a braced variable (`C:\${Name with spaces}\x`), to its `}`.
        this.variable();
      } else if (this.c === '`' && this.at(1) !== undefined && !isNewline(this.at(1))) this.pos += 2;
      else if (this.c === '`') break;
      else this.pos++;
    }
    return word + this.text.slice(from, this.pos).replace(/`(.)/g, '$1');
  }

  private placeholderAhead(): boolean {
    const m = /^<[^<>\r\n]{1,60}>/.exec(this.text.slice(this.pos, this.pos + 64));
    return m !== null;
  }

  private placeholder(): ArgValue {
    const start = this.pos;
    const m = /^<[^<>\r\n]{1,60}>/.exec(this.text.slice(this.pos, this.pos + 64))!;
    this.pos += m[0].length;
    this.out.placeholders.push({ text: m[0], range: { start, end: this.pos } });
    return { kind: 'bareword', value: m[0], range: { start, end: this.pos } };
  }

  // ---- expressions -----------------------------------------------------------------------

  /** Expression mode, up to the end of the pipeline element. */
  private expression(): void {
    let afterOperator = true;
    let lastEnd = -1;
    /** A value right after a value is reported once per expression: the reader is lost after it. */
    let reportedJuxtaposed = false;
    /** Where the last operand starts. */
    let lastStart = -1;
    /** Where the operator that still waits for its right operand starts (-1: none). */
    let pendingOperator = -1;
    for (;;) {
      this.skipBlanks();
      const c = this.c;
      if (pendingOperator >= 0 && (c === undefined || c === ';' || c === ')' || c === '}')) {
        this.problem('Unexpected end of the expression after an operator, expected a value after it', pendingOperator, this.pos);
        return;
      }
      if (c === undefined) return;
      if (isNewline(c)) {
        if (!afterOperator) return;
        this.skipBlanksAndNewlines();
        continue;
      }
      if (c === ';' || c === ')' || c === '}' || c === ']') return;
      if (c === '|' || c === '&') return;
      if (c === '`' && isBlank(this.at(1)) && !afterOperator) {
        // After a value, a backtick escapes the blank after it, which PowerShell then reads as a blank.
        this.pos += 2;
        continue;
      }
      const before = this.pos;
      const assignment = ASSIGNMENT_OPERATORS.find((op) => this.startsWith(op) && !(op === '=' && this.at(1) === '='));
      if (assignment && !afterOperator) {
        this.markAssigned(this.pos);
        if (assignment === '??=') this.ps7('null-coalescing-assignment', this.pos, this.pos + 3);
        this.pos += assignment.length;
        this.skipBlanksAndNewlines();
        // The right-hand side of an assignment is a statement: commands are allowed there.
        this.pipelineChain();
        return;
      }
      if (c === '?') {
        this.questionMark(lastEnd);
        afterOperator = true;
        continue;
      }
      if (c === ':' && this.at(1) !== ':') {
        // The `:` of a ternary (already reported at its `?`).
        this.pos++;
        afterOperator = true;
        continue;
      }
      if (isDash(c) && /[\p{L}]/u.test(this.at(1) ?? '')) {
        const operatorStart = this.pos;
        this.pos++;
        const word = this.readWord();
        // Only an operator waits for a value: `-Wait` starting a line is a command's name.
        pendingOperator = OPERATOR_NAME.test(word) ? operatorStart : -1;
        afterOperator = true;
        continue;
      }
      if ((c === '+' || c === '-') && this.at(1) === c && !afterOperator) {
        // Postfix `++` and `--` complete their operand.
        this.pos += 2;
        continue;
      }
      if ('+-*/%!=<>,.'.includes(c) && !(c === '.' && /[0-9]/.test(this.at(1) ?? ''))) {
        // `>` and `<` are redirections in PowerShell (comparisons are -gt and -lt): what follows a
        // redirection's target is not read as a value after a value.
        if (c === '>' || c === '<') reportedJuxtaposed = true;
        pendingOperator = this.pos;
        if (c === '.' && this.at(1) === '.') this.pos += 2;
        else this.pos++;
        while (this.c === '=' ) this.pos++;
        afterOperator = true;
        continue;
      }
      if (!afterOperator && /^in(?![\p{L}\p{N}_-])/iu.test(this.text.slice(this.pos, this.pos + 3))) {
        // The `in` of a `foreach` header, between the loop variable and the list.
        this.pos += 2;
        afterOperator = true;
        continue;
      }
      pendingOperator = -1;
      // A type literal alone (`[int]`, ending with its `]`) casts the value after it; `[Math]::Max(1, 2)`
      // is a value like any other. (A script block, a clause of a `switch` body, is no VALUE_START.)
      const lastIsCast = this.text[lastStart] === '[' && this.text[lastEnd - 1] === ']';
      if (!afterOperator && !lastIsCast && !reportedJuxtaposed && VALUE_START.test(this.text.slice(lastStart, lastStart + 2)) && this.juxtaposedValueAhead()) {
        // `$_.St ate -ne 'Up'`, `"a" "b"`: PowerShell rejects a value right after a value.
        const end = this.pos + Math.max(1, /^[^\s;|)}\]]*/.exec(this.text.slice(this.pos, this.pos + 40))![0].length);
        this.problem(`Unexpected \`${this.text.slice(this.pos, end)}\` right after a value, expected an operator between them, or a line break or \`;\` before a new statement`, this.pos, end);
        reportedJuxtaposed = true;
      }
      lastStart = this.pos;
      const value = this.operand();
      if (!value || this.pos === before) {
        this.problem(`Unexpected \`${this.text[this.pos]}\`, expected an expression`, this.pos, this.pos + 1);
        this.pos++;
      }
      lastEnd = this.pos;
      afterOperator = false;
    }
  }

  /**
   * Whether what follows a value is a second value PowerShell rejects there. (The value before it
   * starts as a value does, VALUE_START: a `$` before a blank or a quote, or a backtick, starts a
   * command to PowerShell, which the reader does not read as one.) Not: a redirection
   * (`$x 2>&1`) or a script block (a clause of a `switch` body, `'a' { ... }`), which are read in
   * the same places; those stay unreported (a missed report, never a false one).
   */
  private juxtaposedValueAhead(): boolean {
    // A backtick before a blank escapes it, and an escaped blank is a blank to PowerShell.
    if (this.c === '{' || this.c === '`') return false;
    return !/^[0-9*]>/.test(this.text.slice(this.pos, this.pos + 2));
  }

  /**
   * The variables an assignment operator at `operatorAt` sets: `$a = ...`, `[int]$a = ...` and
   * `$a, $b = ...` set them; `$a.Name = ...` and `$a[0] = ...` change a value `$a` already holds.
   */
  private markAssigned(operatorAt: number): void {
    // The last target ends right before the operator; an earlier one right before the comma that
    // precedes the next. Only blanks are looked back over, so that this stays linear in the text.
    let end = this.afterBlanksBefore(operatorAt);
    for (let i = this.out.variables.length - 1; i >= 0; i--) {
      const use = this.out.variables[i]!;
      if (use.range.end !== end) return;
      use.sets = true;
      const before = this.afterBlanksBefore(use.range.start);
      if (this.text[before - 1] !== ',') return;
      end = this.afterBlanksBefore(before - 1);
    }
  }

  /** `offset`, moved back over the blanks and line breaks right before it. */
  private afterBlanksBefore(offset: number): number {
    while (offset > 0 && /\s/.test(this.text[offset - 1]!)) offset--;
    return offset;
  }

  private questionMark(lastOperandEnd: number): void {
    const start = this.pos;
    if (this.at(1) === '?') {
      if (this.at(2) === '=') {
        this.ps7('null-coalescing-assignment', start, start + 3);
        this.pos += 3;
      } else {
        this.ps7('null-coalescing', start, start + 2);
        this.pos += 2;
      }
      return;
    }
    if ((this.at(1) === '.' || this.at(1) === '[') && lastOperandEnd === start) {
      this.ps7(this.at(1) === '.' ? 'null-conditional-member' : 'null-conditional-index', start, start + 2);
      this.pos += 1;
      if (this.at(0) === '.') this.pos++;
      return;
    }
    this.ps7('ternary', start, start + 1);
    this.pos++;
  }

  private operand(): ArgValue | undefined {
    const start = this.pos;
    const c = this.c!;
    let value: ArgValue | undefined;
    if (c === '[') {
      this.typeLiteral();
      // `[int][string]$x`: casts follow one another (a type has no index to take).
      while (this.c === '[') this.typeLiteral();
      value = { kind: 'expression', range: { start, end: this.pos } };
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(this.at(1) ?? ''))) {
      const m = /^[0-9A-Za-z.]+/.exec(this.text.slice(this.pos))!;
      let word = m[0];
      // `1..10` is a range, not a number `1.`.
      const range = word.indexOf('..');
      if (range >= 0) word = word.slice(0, range);
      this.pos += word.length;
      if (/^0b/i.test(word)) this.ps7('binary-literal', start, this.pos);
      else if (PS7_NUMBER_SUFFIX.test(word) && !/^0x/i.test(word)) this.ps7('numeric-suffix', start, this.pos);
      value = { kind: 'number', text: word, range: { start, end: this.pos } };
    } else {
      // A bareword here is a keyword such as `in` (foreach) or a parse error PowerShell reports itself.
      value = this.argValue();
    }
    if (value) value = this.memberAccess(value);
    return value;
  }

  /** `.Name`, `::Name`, `.Method(...)`, `[index]` after a value; `?.` and `?[` after a braced variable. */
  private memberAccess(value: ArgValue): ArgValue {
    const start = value.range.start;
    let changed = false;
    for (;;) {
      const c = this.c;
      if (c === '?' && (this.at(1) === '.' || this.at(1) === '[') && this.text[this.pos - 1] === '}' ) {
        this.ps7(this.at(1) === '.' ? 'null-conditional-member' : 'null-conditional-index', this.pos, this.pos + 2);
        this.pos++;
        continue;
      }
      if ((c === '.' && isIdentifierChar(this.at(1))) || (c === ':' && this.at(1) === ':')) {
        this.pos += c === '.' ? 1 : 2;
        while (isIdentifierChar(this.c)) this.pos++;
        changed = true;
        continue;
      }
      if (c === '.' && (isSingleQuote(this.at(1)) || isDoubleQuote(this.at(1)) || this.at(1) === '$')) {
        this.pos++;
        this.argValue();
        changed = true;
        continue;
      }
      if (c === '[' && !isBlank(this.text[this.pos - 1])) {
        this.group('[', ']');
        changed = true;
        continue;
      }
      if (c === '(' && changed && this.text[this.pos - 1] !== ' ') {
        this.group('(', ')');
        continue;
      }
      break;
    }
    return changed ? { kind: 'expression', range: { start, end: this.pos } } : value;
  }

  private typeLiteral(): void {
    let depth = 0;
    while (this.c !== undefined) {
      if (this.c === '[') depth++;
      else if (this.c === ']') {
        depth--;
        if (depth === 0) {
          this.pos++;
          return;
        }
      } else if (isNewline(this.c)) break;
      this.pos++;
    }
    this.problem('Unexpected end of line in a type name, expected `]`', this.pos, this.pos);
  }

  // ---- groups ----------------------------------------------------------------------------

  /**
   * `(...)`, `{...}`, `$(...)`, `@(...)`, `[...]`: reads the statements inside and the closer.
   * `onePipeline`: the parentheses of an expression (not a `for` or `if` condition).
   */
  private group(opener: string, closer: string, onePipeline = false): void {
    const start = this.pos;
    this.pos += opener.length;
    if (onePipeline) {
      // Parentheses hold one pipeline; `$( )` and `@( )` hold statements. A `;`, or a line break
      // followed by more than the `)`, starts a second one (anything else is reported below).
      this.skipBlanksAndNewlines();
      if (this.c !== undefined && this.c !== ')') this.statement();
      this.skipBlanks();
      const separator = this.pos;
      const semicolon = this.c === ';';
      this.skipBlanksAndNewlines();
      if (semicolon || (this.pos > separator && this.c !== undefined && this.c !== ')')) {
        this.problem('Unexpected second statement in `( )`, expected `)`: parentheses hold one pipeline (`$( )` holds several statements)', separator, separator + 1);
      }
    }
    this.statementList(closer);
    if (this.c === closer) this.pos++;
    else this.problem(`Unexpected end of text, expected \`${closer}\` to close \`${opener}\``, start, start + opener.length);
  }

  private groupValue(opener: string, closer: string): ArgValue {
    const start = this.pos;
    this.group(opener, closer, opener === '(');
    return { kind: 'expression', range: { start, end: this.pos } };
  }

  private hashtable(): ArgValue {
    const start = this.pos;
    this.pos += 2;
    const entries: HashtableEntry[] = [];
    for (;;) {
      this.skipBlanksAndNewlines();
      while (this.c === ';') {
        this.pos++;
        this.skipBlanksAndNewlines();
      }
      if (this.c === undefined) {
        this.problem('Unexpected end of text, expected `}` to close `@{`', start, start + 2);
        break;
      }
      if (this.c === '}') {
        this.pos++;
        break;
      }
      const entryStart = this.pos;
      const before = this.pos;
      let key: string | undefined;
      const keyValue = isSingleQuote(this.c) || isDoubleQuote(this.c) || this.c === '$' || this.c === '(' ? this.argValue() : undefined;
      if (keyValue) key = keyValue.kind === 'string' && !keyValue.expandable ? keyValue.value : keyValue.kind === 'string' ? keyValue.value : undefined;
      else {
        const k = this.text.slice(this.pos).match(/^[^\s=;}]+/)?.[0] ?? '';
        this.pos += k.length;
        key = k || undefined;
      }
      this.skipBlanks();
      let value: ArgValue | undefined;
      if (this.c === '=') {
        this.pos++;
        this.skipBlanksAndNewlines();
        const valueStart = this.pos;
        const single = this.tryConstantValue();
        if (single) value = single;
        else {
          this.pipelineChain();
          value = { kind: 'expression', range: { start: valueStart, end: this.pos } };
        }
      } else {
        this.problem('Unexpected hashtable entry without `=`, expected `key = value`', entryStart, this.pos);
      }
      const entry: HashtableEntry = { range: { start: entryStart, end: this.pos } };
      if (key !== undefined) entry.key = key;
      if (value) entry.value = value;
      entries.push(entry);
      if (this.pos === before) this.pos++;
    }
    return { kind: 'hashtable', entries, range: { start, end: this.pos } };
  }

  /** A constant string, number or `$true`/`$false` that ends its hashtable entry. */
  private tryConstantValue(): ArgValue | undefined {
    const save = this.pos;
    const c = this.c;
    if (!(isSingleQuote(c) || isDoubleQuote(c) || c === '$' || /[0-9]/.test(c ?? ''))) return undefined;
    const value = /[0-9]/.test(c ?? '') ? this.operand() : this.argValue();
    this.skipBlanks();
    if (value && (this.c === ';' || this.c === '}' || isNewline(this.c))) return value;
    this.pos = save;
    return undefined;
  }

  // ---- variables and strings -------------------------------------------------------------

  private readVariableName(): string {
    const start = this.pos;
    // `?` is a variable-name character after the first one: `$a?.b` is the variable `a?` in every version.
    while (isIdentifierChar(this.c) || (this.c === '?' && this.pos > start) || (this.c === ':' && isIdentifierChar(this.at(1)) && this.pos > start)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private variableOrSubexpression(): ArgValue {
    if (this.at(1) === '(') return this.groupValue('$(', ')');
    const { name, range } = this.variable();
    return { kind: 'variable', name, range };
  }

  /** The variable at `$` (`$Name`, `${Name}`, `$_`, `$?`), read and listed in `variables`. */
  private variable(): VariableUse {
    const start = this.pos;
    this.pos++;
    let name: string;
    if (this.c === '{') {
      const end = this.text.indexOf('}', this.pos);
      name = this.text.slice(this.pos + 1, end < 0 ? this.text.length : end);
      const brace = name.search(/(?<!`)\{/);
      if (brace >= 0) this.problem('Unexpected `{` in a `${ }` variable name, expected it escaped as `` `{ ``', this.pos + 1 + brace, this.pos + 2 + brace);
      this.pos = end < 0 ? this.text.length : end + 1;
    } else if (this.c === '_' && !isIdentifierChar(this.at(1))) {
      this.pos++;
      name = '_';
    } else if (this.c === '?' || this.c === '$' || this.c === '^') {
      this.pos++;
      name = this.text[this.pos - 1]!;
    } else name = this.readVariableName();
    const use = { name, range: { start, end: this.pos }, sets: false };
    this.out.variables.push(use);
    return use;
  }

  private singleQuoted(): ArgValue {
    const start = this.pos;
    this.pos++;
    let value = '';
    for (;;) {
      const c = this.c;
      if (c === undefined) {
        this.problem('Unexpected end of text in a single-quoted string, expected a closing quote', start, this.pos);
        break;
      }
      if (isSingleQuote(c)) {
        if (isSingleQuote(this.at(1))) {
          value += this.at(1);
          this.pos += 2;
          continue;
        }
        this.pos++;
        break;
      }
      value += c;
      this.pos++;
    }
    return this.stringValue(value, false, start);
  }

  private doubleQuoted(): ArgValue {
    const start = this.pos;
    this.pos++;
    let value = '';
    let constant = true;
    for (;;) {
      const c = this.c;
      if (c === undefined) {
        this.problem('Unexpected end of text in a double-quoted string, expected a closing quote', start, this.pos);
        break;
      }
      if (c === '`' && this.at(1) !== undefined) {
        const escaped = this.at(1)!;
        this.escape();
        value += escaped;
        continue;
      }
      if (isDoubleQuote(c)) {
        if (isDoubleQuote(this.at(1))) {
          value += this.at(1);
          this.pos += 2;
          continue;
        }
        this.pos++;
        break;
      }
      if (c === '$' && this.at(1) === '(') {
        constant = false;
        this.group('$(', ')');
        continue;
      }
      if (c === '$' && (isIdentifierChar(this.at(1)) || this.at(1) === '{')) {
        constant = false;
        const from = this.pos;
        this.variable();
        value += this.text.slice(from, this.pos);
        continue;
      }
      value += c;
      this.pos++;
    }
    return this.stringValue(value, !constant, start);
  }

  /** A backtick escape in an expandable string; `` `e `` and `` `u{...} `` exist only in PowerShell 6 and later. */
  private escape(): void {
    const start = this.pos;
    const next = this.at(1);
    if (next === 'e') this.ps7('escape-e', start, start + 2);
    if (next === 'u' && this.at(2) === '{') {
      const close = this.text.indexOf('}', this.pos);
      const end = close < 0 ? start + 3 : close + 1;
      this.ps7('escape-u', start, end);
      this.pos = end;
      return;
    }
    this.pos += 2;
  }

  private isHereStringHeader(): boolean {
    let i = this.pos + 2;
    while (isBlank(this.text[i])) i++;
    return isNewline(this.text[i]);
  }

  private hereString(): ArgValue {
    const start = this.pos;
    const expandable = isDoubleQuote(this.at(1));
    this.pos += 2;
    while (!isNewline(this.c)) this.pos++;
    if (this.c === '\r') this.pos++;
    if (this.c === '\n') this.pos++;
    const contentStart = this.pos;
    for (;;) {
      if (this.c === undefined) {
        this.problem('Unexpected end of text in a here-string, expected a closing quote and `@` at the start of a line', start, start + 2);
        return this.stringValue(this.text.slice(contentStart), expandable, start);
      }
      const lineStart = this.pos === 0 || isNewline(this.text[this.pos - 1]);
      if (lineStart && (expandable ? isDoubleQuote(this.c) : isSingleQuote(this.c)) && this.at(1) === '@') {
        const content = this.text.slice(contentStart, Math.max(contentStart, this.pos - 1)).replace(/\r$/, '');
        this.pos += 2;
        return this.stringValue(content, expandable && /\$[\w({]/.test(content), start);
      }
      if (expandable && this.c === '$' && this.at(1) === '(') {
        this.group('$(', ')');
        continue;
      }
      if (expandable && this.c === '$' && (isIdentifierChar(this.at(1)) || this.at(1) === '{')) {
        this.variable();
        continue;
      }
      if (expandable && this.c === '`') {
        this.escape();
        continue;
      }
      this.pos++;
    }
  }

  private stringValue(value: string, expandable: boolean, start: number): ArgValue {
    const range = { start, end: this.pos };
    if (!expandable) this.out.strings.push({ value, range });
    if (PLACEHOLDER.test(value.trim())) this.out.placeholders.push({ text: value.trim(), range });
    return { kind: 'string', value, expandable, range };
  }
}
