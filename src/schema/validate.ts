/**
 * Schema validation (RB2xx) of a SourceDocument, with every ajv error mapped back to where it
 * was written and reworded as "Unexpected X, expected Y".
 */
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { diagnosticAt, type Diagnostic } from '../diagnostics.js';
import { SCHEMA_CODES } from '../parser/codes.js';
import type { PathSegment, SourceDocument } from '../parser/source-document.js';
import type { SourceSpan } from '../model/runbook.js';
import { closest } from '../util/closest.js';
import { loadRunbookSchema } from './load.js';
import { missingPropertyHint, spellingHint, stepKindSpelling, STEP_KINDS } from './spelling.js';
import { AJV_OPTIONS } from './options.js';
import { PRECOMPILED_VALIDATOR } from '../resources.js';
import { requireGenerated } from '../util/generated-module.js';

const require = createRequire(import.meta.url);

let validator: ValidateFunction | undefined;

/** The validator precompiled at build time (scripts/compile-schema.mjs), else compiled now. */
function getValidator(): ValidateFunction {
  if (!validator) {
    try {
      validator = requireGenerated(PRECOMPILED_VALIDATOR) as ValidateFunction;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      const Ajv2020 = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js').default;
      validator = new Ajv2020(AJV_OPTIONS).compile(loadRunbookSchema());
    }
  }
  return validator;
}


export function validateAgainstSchema(doc: SourceDocument): Diagnostic[] {
  const validate = getValidator();
  if (validate(doc.data)) return [];
  const errors = relevantErrors(validate.errors ?? []);
  return errors.map((e) => toDiagnostic(doc, e));
}

/**
 * ajv reports a failed `oneOf` together with the failures of each branch, and a failed `if`
 * with its `then`. Only the outermost explanation helps an author, so branch noise is dropped.
 */
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  // schemaPath is relative to the $ref'd definition, so a branch is identified by both paths.
  const oneOfs = errors.filter((e) => e.keyword === 'oneOf');
  const inBranch = (e: ErrorObject) => oneOfs.some((o) => e.instancePath.startsWith(o.instancePath) && e.schemaPath.startsWith(o.schemaPath + '/'));
  // A failed `propertyNames` also reports the failures of its subschema against the whole object.
  const kept = errors.filter((e) => e.keyword !== 'if' && !inBranch(e) && (e.keyword === 'propertyNames' || e.propertyName === undefined));
  const seen = new Set<string>();
  return kept.filter((e) => {
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function pathOf(instancePath: string): PathSegment[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let v: unknown = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/** "step `drain-node`", "phase `prerequisites`", "parameter `ClusterName`": what an author calls the place. */
export function describePlace(data: unknown, path: readonly PathSegment[]): string {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  const idOf = (p: readonly PathSegment[]) => {
    const v = valueAt(data, p) as { id?: unknown; title?: unknown } | undefined;
    if (v && typeof v === 'object' && typeof v.id === 'string') return `\`${v.id}\``;
    // Without an id, its number and its title (the heading a Markdown author sees).
    const title = v && typeof v === 'object' && typeof v.title === 'string' && v.title !== '' ? ` (${shown(v.title)})` : '';
    return `#${Number(p[p.length - 1]) + 1}${title}`;
  };
  if (path.length === 0) return 'the runbook';
  if (parent === 'steps' && typeof last === 'number') return `step ${idOf(path)}`;
  if (parent === 'phases' && typeof last === 'number') return `phase ${idOf(path)}`;
  if (parent === 'parameters') return `parameter \`${String(last)}\``;
  if (parent === 'variants' && path.length === 2) return `variant \`${String(last)}\``;
  if (last === 'cau') return `the \`cau\` of ${describePlace(data, path.slice(0, -1))}`;
  if (last === 'options' && path[path.length - 2] === 'cau') return `the CAU options of ${describePlace(data, path.slice(0, -2))}`;
  return `\`${String(last)}\` of ${describePlace(data, path.slice(0, -1))}`;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'mapping';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function expectedType(t: unknown): string {
  const names: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false', null: 'null' };
  const list = Array.isArray(t) ? t : [t];
  return list.map((x) => names[String(x)] ?? String(x)).join(' or ');
}

function shown(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return '`' + (s.length > 60 ? s.slice(0, 57) + '...' : s) + '`';
}

function allowedProperties(schema: unknown): string[] {
  if (schema && typeof schema === 'object' && 'properties' in schema) return Object.keys((schema as { properties: object }).properties);
  return [];
}

function toDiagnostic(doc: SourceDocument, e: ErrorObject): Diagnostic {
  const path = pathOf(e.instancePath);
  const place = describePlace(doc.data, path);
  const value = valueAt(doc.data, path);
  const property = path[path.length - 1];
  const name = typeof property === 'string' ? `\`${property}\`` : place;
  switch (e.keyword) {
    case 'additionalProperties': {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      const allowed = allowedProperties(e.parentSchema);
      const suggestion = closest(extra, allowed);
      const hint = suggestion ? `; did you mean \`${suggestion}\`?` : allowed.length ? `, expected one of ${allowed.map((a) => `\`${a}\``).join(', ')}` : '';
      return diagnosticAt(SCHEMA_CODES.unknownProperty, doc.locate([...path, extra], 'key'), `Unexpected property \`${extra}\` in ${place}${hint}`);
    }
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      const hint = missingPropertyHint(doc, path, missing);
      return diagnosticAt(SCHEMA_CODES.missingProperty, missingAt(doc, path, missing), `Missing property \`${missing}\` in ${place}${hint ? `, expected ${hint}` : ''}`);
    }
    case 'type':
      return diagnosticAt(
        SCHEMA_CODES.wrongType,
        doc.locate(path),
        `Unexpected ${typeName(value)} ${shown(value)} for ${name}, expected ${expectedType((e.params as { type: unknown }).type)}${spellingHint((e.params as { type: unknown }).type, value)}`,
      );
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const suggestion = typeof value === 'string' ? closest(value, allowed) : undefined;
      const hint = suggestion ? `; did you mean \`${suggestion}\`?` : '';
      return diagnosticAt(
        SCHEMA_CODES.notAllowedValue,
        doc.locate(path),
        `Unexpected ${shown(value)} for ${name}, expected one of ${allowed.map((a) => `\`${a}\``).join(', ')}${hint}`,
      );
    }
    case 'oneOf': {
      if (value && typeof value === 'object' && !Array.isArray(value) && path[path.length - 2] === 'steps') {
        const present = STEP_KINDS.filter((k) => k in (value as object));
        const found = present.length === 0 ? 'found none' : `found ${present.map((k) => stepKindSpelling(doc, k)).join(' and ')}`;
        return diagnosticAt(
          SCHEMA_CODES.stepKind,
          doc.locate(path, path.length ? 'key' : 'value'),
          `Unexpected shape of ${place}: a step has exactly one of ${STEP_KINDS.map((k) => stepKindSpelling(doc, k)).join(', ')}, ${found}`,
        );
      }
      return diagnosticAt(SCHEMA_CODES.wrongType, doc.locate(path), `Unexpected ${typeName(value)} for ${name}, expected a string or a list of strings`);
    }
    case 'propertyNames': {
      const bad = (e.params as { propertyName: string }).propertyName;
      return diagnosticAt(SCHEMA_CODES.invalidValue, doc.locate([...path, bad], 'key'), `Unexpected name \`${bad}\` in ${place}, ${nameRule(path)}`);
    }
    default:
      return diagnosticAt(SCHEMA_CODES.invalidValue, doc.locate(path), `Unexpected ${shown(value)} for ${name}, expected a value that ${valueRule(e)}`);
  }
}

/**
 * Where a missing property is reported: at the object that lacks it, but a Markdown runbook's
 * missing summary at its `#` heading, under which the paragraph goes, rather than at the top of
 * the front matter.
 */
function missingAt(doc: SourceDocument, path: readonly PathSegment[], missing: string): SourceSpan {
  if (doc.syntax === 'markdown' && path.length === 0 && missing === 'summary' && valueAt(doc.data, ['title']) !== undefined) return doc.locate(['title']);
  return doc.locate(path, path.length ? 'key' : 'value');
}

function nameRule(path: readonly PathSegment[]): string {
  const last = path[path.length - 1];
  if (last === 'parameters') {
    return 'expected a PowerShell variable name (letters and digits, starting with a letter) that is not reserved: not an automatic variable such as `Node` or `Input`, not a parameter of the generated script such as `Force` or `JournalPath`, not starting with `Rb`';
  }
  if (last === 'variants') return 'expected an id (lower-case letters, digits and single dashes, starting with a letter)';
  return 'expected letters and digits, starting with a letter';
}

function valueRule(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'pattern':
      if (String(p.pattern).startsWith('^[a-z][a-z0-9]*(-')) return 'is an id (lower-case letters, digits and single dashes, starting with a letter)';
      if (String(p.pattern).startsWith('^[A-Za-z][A-Za-z0-9]*$')) return 'is a PowerShell variable name (letters and digits, starting with a letter)';
      return `matches \`${String(p.pattern)}\``;
    case 'minimum':
      return `is at least ${String(p.limit)}`;
    case 'maximum':
      return `is at most ${String(p.limit)}`;
    case 'exclusiveMinimum':
      return `is greater than ${String(p.limit)}`;
    case 'minLength':
      return 'is not empty';
    case 'maxLength':
      return `has at most ${String(p.limit)} characters`;
    case 'minItems':
      return `has at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`;
    case 'uniqueItems':
      return 'has no repeated items';
    case 'not':
      return 'is not a reserved PowerShell name (such as `Node`, `Input` or `Error`)';
    default:
      return e.message ?? 'the schema allows';
  }
}
