/**
 * Rendering the .ps1 templates (flat templates: see ../templates.ts).
 *
 * HTML escaping is off (it would corrupt PowerShell and is no protection for it) and strict mode is
 * on (the options are in ../templates.ts). Templates never print a field directly (a test rejects any bare `{{x}}`): every value goes
 * through one of the helpers below, each of which checks the type it is given and throws otherwise.
 *
 *   {{ps x}}       a string, quoted by psString
 *   {{int x}}      an integer literal;  {{bool x}}  $true / $false
 *   {{ident x}}    a name we generate or validated (letters, digits, underscore)
 *   {{code x}}     PsCode from quote.ts or the view model (author commands, declarations)
 *   {{comment x}}  a `# ...` line comment;  {{help x}}  comment-based help text
 *   {{#indent n}}  indents its content by n spaces, except continuation lines of author code
 */
import type Handlebars from 'handlebars';
import { fileURLToPath } from 'node:url';
import { loadFlatTemplate, phaseBatches, TEMPLATE_ROOT, type FlatTemplateName } from '../templates.js';
import { assertIdentifier, isPsCode, psBlockComment, psBool, psComment, psInt, psString } from './quote.js';
import { VERBATIM_LINE_MARK, type PhaseView, type ScriptHeadView, type ScriptView, type ScriptViews } from './view-model.js';

export const POWERSHELL_TEMPLATE_DIR = fileURLToPath(new URL('powershell/', TEMPLATE_ROOT));

/** Helper names a .ps1 template may print through; anything else in a `{{...}}` is rejected by a test. */
export const POWERSHELL_OUTPUT_HELPERS = ['ps', 'int', 'bool', 'ident', 'code', 'comment', 'help'] as const;

function expect<T>(value: unknown, check: (v: unknown) => v is T, helper: string, wanted: string): T {
  if (!check(value)) throw new TypeError(`Template helper \`${helper}\` got ${JSON.stringify(value)}, expected ${wanted}`);
  return value;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number';
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';

/**
 * {{#indent}} indents every line that is not empty and not a continuation line of author code.
 * Lines are split at LF only (not in multiline mode, whose `^` also follows CR, U+2028 and U+2029,
 * which author code may hold inside a string). The first line is looked at apart, so that the
 * replacement is plain text (no `$1`): V8 replaces it without a substitution step per line.
 */
const INDENTED_LINE_BREAK = new RegExp(`\\n(?=[^\\n${VERBATIM_LINE_MARK}])`, 'g');

function indentLines(text: string, pad: string): string {
  const indented = text.replace(INDENTED_LINE_BREAK, `\n${pad}`);
  return text.length > 0 && text[0] !== '\n' && text[0] !== VERBATIM_LINE_MARK ? pad + indented : indented;
}

/** The helpers the .ps1 templates call (see the top of this file). */
export const POWERSHELL_HELPERS: Record<string, Handlebars.HelperDelegate> = {
  ps: (v: unknown) => psString(expect(v, isString, 'ps', 'a string')),
  int: (v: unknown) => psInt(expect(v, isNumber, 'int', 'a number')).text,
  bool: (v: unknown) => psBool(expect(v, isBoolean, 'bool', 'a boolean')).text,
  ident: (v: unknown) => assertIdentifier(expect(v, isString, 'ident', 'a string'), 'identifier'),
  comment: (v: unknown) => psComment(expect(v, isString, 'comment', 'a string')),
  help: (v: unknown) => psBlockComment(expect(v, isString, 'help', 'a string')),
  code: (v: unknown) => {
    if (!isPsCode(v)) throw new TypeError(`Template helper \`code\` got ${JSON.stringify(v)}, expected generated code (PsCode)`);
    // Continuation lines are marked so that {{#indent}} leaves them alone; the mark is removed at the end.
    return v.text.includes('\n') ? v.text.replaceAll('\n', `\n${VERBATIM_LINE_MARK}`) : v.text;
  },
  indent: function (this: unknown, width: unknown, options: Handlebars.HelperOptions) {
    const pad = ' '.repeat(expect(width, isNumber, 'indent', 'a number'));
    return indentLines(options.fn(this) as string, pad);
  },
};

interface ScriptTemplates {
  start: (view: ScriptHeadView) => string;
  phases: (view: { phases: PhaseView[] }) => string;
  end: (view: ScriptHeadView) => string;
}

let compiled: ScriptTemplates | undefined;

function templates(): ScriptTemplates {
  if (!compiled) {
    const load = <T>(name: FlatTemplateName, partials: Record<string, (context: never) => string> = {}) => loadFlatTemplate<T>(name, POWERSHELL_HELPERS, partials);
    compiled = {
      start: load('powershell/script.ps1.hbs', { runtime: load('powershell/runtime.ps1.hbs') }),
      phases: load('powershell/phases.ps1.hbs', { step: load('powershell/step.ps1.hbs') }),
      end: load('powershell/script-end.ps1.hbs'),
    };
  }
  return compiled;
}

/**
 * The script's text in pieces: its start (parameters, runtime), its phases' functions a batch at a
 * time, its end.
 */
export function* renderScriptPieces(views: ScriptViews): Generator<string> {
  const parts = templates();
  yield withoutLineMarks(parts.start(views.head));
  for (const batch of phaseBatches(views.phaseCount, views.phase)) yield withoutLineMarks(parts.phases(batch));
  yield withoutLineMarks(parts.end(views.head));
}

export function renderScript(view: ScriptView): string {
  return [...renderScriptPieces({ head: view, phaseCount: view.phases.length, phase: (i) => view.phases[i]! })].join('');
}

function withoutLineMarks(text: string): string {
  return text.replaceAll(VERBATIM_LINE_MARK, '');
}
