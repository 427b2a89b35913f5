/**
 * Property-test material: strings biased towards what breaks generators (quotes of every kind,
 * PowerShell expansion and comment syntax, here-string terminators, stop-parsing tokens, line breaks,
 * NUL, lone surrogates, HTML, CDATA ends, template braces), and a small valid runbook with one of
 * them in every free-text field. Ids, parameter names and commands are not free text (the schema
 * restricts the first two; commands are the author's code), so they stay fixed.
 */
import fc from 'fast-check';
import type { Runbook, SourceSpan } from '../../src/model/runbook.js';
import { stepDefaults } from '../support/ir.js';

/** A PowerShell function the harnesses define: if any runbook text is ever executed, it is called. */
export const CANARY = 'Invoke-RbCanary';

const DANGEROUS: readonly string[] = [
  "'", '\u2018', '\u2019', '\u201A', '\u201B', "''", '"', '\u201C', '\u201D', '\u201E',
  `$(${CANARY})`, `\`$(${CANARY})`, `@(${CANARY})`, '${env:PATH}', '$null', '$_', '`', '``', '`n', '`0',
  `'; ${CANARY}; '`, `"; ${CANARY}; "`, `\u2019; ${CANARY}; \u2019`, `\u201C; ${CANARY}; \u201D`,
  '\r', '\n', '\r\n', '\t', '\0', '\u00A0', '\u2013', '\u2014', '\u2028', '\u0085', '\uFEFF',
  '\uD800', '\uDBFF', '\uDC00', '\uDFFF',
  '#>', '<#', `\n#>\n${CANARY}\n<#\n`, `\n'@\n${CANARY}\n`, `\n"@\n${CANARY}\n`, "\n'@", '\n"@', "@'\n", '--%', ' --% ',
  '#Requires -Version 99', '\n.PARAMETER X\n', '\n.EXTERNALHELP x\n', '# SIG # Begin signature block',
  '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', ']]>', '<![CDATA[', '&amp;', '&lt;', '_x000D_', '_x0000_',
  '{{', '}}', '{{{x}}}', '{{this}}', '[link](javascript:alert(1))', '![i](https://evil.example/i.png)', '<https://evil.example>',
  'https://evil.example/p', 'www.evil.example', 'mail@evil.example', '|', ' | ', '\n| a | b |\n|---|---|\n', '\n# heading\n',
  '\n```\n', '*', '_', '~~', '$x^2$', '\\', '&', ';', '%', '@', ':', '-', '.',
  '- ', '+ ', '1. ', '2) ', '---', '===', '> ', '    ',
];

/** One code unit anywhere in the BMP, lone surrogates included. */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

const piece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...DANGEROUS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: anyCodeUnit, maxLength: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
);

/**
 * A free-text value: one to six pieces. It has at least one visible character, as a title or a
 * reason does (the schema's `minLength: 1`; an all-blank title is a different question).
 */
export const hostileText: fc.Arbitrary<string> = fc
  .array(piece, { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(''))
  .filter((s) => s.trim() !== '');

export interface RunbookTexts {
  title: string;
  summary: string;
  sourceDocument: string;
  parameterDescription: string;
  parameterDefault: string;
  arrayDefault: [string, string];
  variantTitle: string;
  variantDescription: string;
  phaseTitle: string;
  phaseDescription: string;
  stepTitles: [string, string, string, string, string, string];
  stepDescription: string;
  irreversibleReason: string;
  instructions: [string, string];
  prompt: string;
  failMessage: string;
  onTimeout: string;
  record: [string, string];
  pluginArguments: [string, string];
}

const t = hostileText;
export const runbookTexts: fc.Arbitrary<RunbookTexts> = fc.record({
  title: t,
  summary: t,
  sourceDocument: t,
  parameterDescription: t,
  parameterDefault: t,
  arrayDefault: fc.tuple(t, t),
  variantTitle: t,
  variantDescription: t,
  phaseTitle: t,
  phaseDescription: t,
  stepTitles: fc.tuple(t, t, t, t, t, t),
  stepDescription: t,
  irreversibleReason: t,
  instructions: fc.tuple(t, t),
  prompt: t,
  failMessage: t,
  onTimeout: t,
  record: fc.tuple(t, t),
  pluginArguments: fc.tuple(t, t),
});

/** Plain texts of the same shape, for the base runbook and for structural comparisons. */
export function plainTexts(): RunbookTexts {
  const v = (name: string) => `Plain ${name}`;
  return {
    title: v('title'),
    summary: v('summary'),
    sourceDocument: v('source'),
    parameterDescription: v('parameter description'),
    parameterDefault: v('default'),
    arrayDefault: [v('first'), v('second')],
    variantTitle: v('variant title'),
    variantDescription: v('variant description'),
    phaseTitle: v('phase title'),
    phaseDescription: v('phase description'),
    stepTitles: [v('check'), v('confirm'), v('manual'), v('cau'), v('wait'), v('raise')],
    stepDescription: v('step description'),
    irreversibleReason: v('reason'),
    instructions: [v('instruction one'), v('instruction two')],
    prompt: v('prompt'),
    failMessage: v('fail message'),
    onTimeout: v('on timeout'),
    record: [v('record one'), v('record two')],
    pluginArguments: [v('argument one'), v('argument two')],
  };
}

export const RUNBOOK_ID = 'props';
export const VARIANT_ID = 'only';
export const PLUGIN_ARGUMENT_NAMES = ['QueryString', 'CustomQuery'] as const;

const at: SourceSpan = { file: 'runbooks/props.yaml', line: 1, column: 1, endLine: 1, endColumn: 1 };

const stepBase = stepDefaults(at);

/** A small runbook that passes the rules, with `texts` in every free-text field. */
export function propsRunbook(texts: RunbookTexts): Runbook {
  const [checkTitle, confirmTitle, manualTitle, cauTitle, waitTitle, raiseTitle] = texts.stepTitles;
  return {
    id: RUNBOOK_ID,
    title: texts.title,
    version: '1.0.0',
    summary: texts.summary,
    sourceDocument: texts.sourceDocument,
    cluster: { maxNodesDown: 1 },
    parameters: [
      { name: 'ClusterName', type: 'string', description: texts.parameterDescription, required: true, pattern: '^[A-Za-z0-9][A-Za-z0-9-]{0,62}$', span: at },
      { name: 'Credential', type: 'credential', description: texts.parameterDescription, required: false, span: at },
      { name: 'Label', type: 'string', description: texts.parameterDescription, required: false, default: texts.parameterDefault, span: at },
      { name: 'Labels', type: 'string[]', description: texts.parameterDescription, required: false, default: [...texts.arrayDefault], span: at },
    ],
    variants: [{ id: VARIANT_ID, title: texts.variantTitle, description: texts.variantDescription, span: at }],
    phases: [
      {
        id: 'work',
        title: texts.phaseTitle,
        description: texts.phaseDescription,
        scope: 'cluster',
        variants: [],
        span: at,
        steps: [
          { ...stepBase, id: 'preflight', kind: 'check', title: checkTitle, description: texts.stepDescription, assert: { text: '$true', span: at }, failMessage: texts.failMessage },
          { ...stepBase, id: 'go', kind: 'confirm', title: confirmTitle, prompt: texts.prompt },
          { ...stepBase, id: 'console', kind: 'manual', title: manualTitle, instructions: [...texts.instructions], record: [...texts.record] },
          {
            ...stepBase,
            id: 'update',
            kind: 'cau',
            title: cauTitle,
            action: 'run',
            reboots: true,
            plugins: [{ name: 'Microsoft.WindowsUpdatePlugin', arguments: PLUGIN_ARGUMENT_NAMES.map((name, i) => ({ name, value: texts.pluginArguments[i]! })) }],
            options: [{ name: 'MaxFailedNodes', value: 0 }, { name: 'RequireAllNodesOnline', value: true }],
            verify: { text: '$true', span: at },
          },
          { ...stepBase, id: 'settle', kind: 'wait', title: waitTitle, until: { text: '$true', span: at }, intervalSeconds: 10, timeoutSeconds: 600, onTimeout: texts.onTimeout },
          {
            ...stepBase,
            id: 'raise',
            kind: 'run',
            title: raiseTitle,
            command: { text: 'Get-Date', span: at },
            irreversible: { reason: texts.irreversibleReason },
            verify: { text: '$true', span: at },
          },
        ],
      },
    ],
    draft: false,
    span: at,
  };
}

/** UTF-16 code units as hex, so that values survive any console encoding exactly (lone surrogates too). */
export function utf16Hex(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += s.charCodeAt(i).toString(16).padStart(4, '0');
  return out;
}

/** `needle` occurs in `haystack` at a code-unit boundary (both utf16Hex). */
export function hexContains(haystack: string, needle: string): boolean {
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + 1)) if (i % 4 === 0) return true;
  return false;
}

export { propertySeed } from '../support/property-seed.js';

export function sampleTexts(seed: number, numRuns: number): RunbookTexts[] {
  return fc.sample(runbookTexts, { seed, numRuns });
}

/** Prefix for assertion messages: how to rerun exactly this sample. */
export function reproduce(seed: number, index: number): string {
  return `case ${index} of seed ${seed} (rerun with RUNBOOKC_PROPERTY_SEED=${seed})`;
}
