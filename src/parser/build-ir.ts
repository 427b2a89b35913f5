/**
 * Schema-valid runbook data -> IR, plus the structural checks a JSON schema cannot express
 * (unique ids across the runbook, references to declared variants and parameters, properties
 * that only mean something on some step kinds or scopes).
 */
import { diagnosticAt, type Diagnostic } from '../diagnostics.js';
import { deepFreeze } from '../model/immutable.js';
import type {
  CauStep,
  CheckStep,
  Command,
  ConfirmStep,
  ManualStep,
  Parameter,
  ParameterType,
  Phase,
  PhaseScope,
  Runbook,
  RunStep,
  SourceSpan,
  Step,
  StepKind,
  Variant,
  WaitStep,
  Waiver,
} from '../model/runbook.js';
import { SCHEMA_CODES } from './codes.js';
import type { PathSegment, SourceDocument } from './source-document.js';

/* The plain shapes the schema guarantees. */
interface RawParameter {
  type: ParameterType;
  description: string;
  required?: boolean;
  default?: string | number | boolean | string[];
  pattern?: string;
  allowed?: string[];
  minimum?: number;
  maximum?: number;
}
interface RawStep {
  id: string;
  title: string;
  description?: string;
  variants?: string[];
  run?: string;
  manual?: string | string[];
  wait?: string;
  check?: string;
  confirm?: string;
  cau?: { action: 'scan' | 'run'; plugin: string; arguments?: Record<string, string>; options?: Record<string, number | boolean | string> };
  runOn?: 'orchestrator' | 'node';
  when?: string;
  capture?: string;
  verify?: string;
  probe?: string;
  irreversible?: { reason: string };
  reboots?: boolean;
  effects?: string[];
  record?: string[];
  retries?: number;
  timeoutMinutes?: number;
  intervalSeconds?: number;
  onTimeout?: string;
  failMessage?: string;
  waive?: Array<{ rule: string; reason: string }>;
}
interface RawPhase {
  id: string;
  title: string;
  description?: string;
  scope: PhaseScope;
  variants?: string[];
  parallel?: { throttle: number };
  steps: RawStep[];
}
interface RawRunbook {
  runbook: string;
  title: string;
  version: string;
  summary: string;
  source?: string;
  draft?: boolean;
  cluster?: { maxNodesDown?: number };
  parameters?: Record<string, RawParameter>;
  variants?: Record<string, { title: string; description?: string }>;
  phases: RawPhase[];
}

const DEFAULT_WAIT_INTERVAL_SECONDS = 15;

/** Kind-specific properties, for RB213. */
const ONLY_ON: ReadonlyArray<readonly [property: string, kind: Step['kind']]> = [
  ['intervalSeconds', 'wait'],
  ['onTimeout', 'wait'],
  ['failMessage', 'check'],
];

/**
 * The value of a list the runbook leaves out: one frozen empty list shared by every step that
 * has none (the IR is deep-frozen, so no step can change it).
 */
const NONE: never[] = Object.freeze([]) as unknown as never[];

export interface BuildResult {
  runbook?: Runbook;
  diagnostics: Diagnostic[];
}

/** Builds the IR, deep-frozen, from data that already passed schema validation. */
export function buildRunbook(doc: SourceDocument): BuildResult {
  const raw = doc.data as RawRunbook;
  const diagnostics: Diagnostic[] = [];
  const at = (path: PathSegment[], part?: 'key' | 'value'): SourceSpan => doc.locate(path, part);
  const command = (text: string, path: PathSegment[]): Command => {
    const lines = doc.commandLines?.(path);
    return lines ? { text, span: at(path), lines } : { text, span: at(path) };
  };

  const parameters: Parameter[] = Object.entries(raw.parameters ?? {}).map(([name, p]) => {
    const path = ['parameters', name];
    const parameter: Parameter = { name, type: p.type, description: p.description, required: p.required ?? false, span: at(path, 'key') };
    if (p.default !== undefined) parameter.default = p.default;
    if (p.pattern !== undefined) parameter.pattern = p.pattern;
    if (p.allowed !== undefined) parameter.allowed = p.allowed;
    if (p.minimum !== undefined) parameter.minimum = p.minimum;
    if (p.maximum !== undefined) parameter.maximum = p.maximum;
    diagnostics.push(...checkParameterDefault(parameter, at([...path, 'default'])));
    return parameter;
  });
  const parameterByName = new Map(parameters.map((p) => [p.name.toLowerCase(), p]));

  const variants: Variant[] = Object.entries(raw.variants ?? {}).map(([id, v]) => ({
    id,
    title: v.title,
    description: v.description ?? '',
    span: at(['variants', id], 'key'),
  }));
  const variantIds = new Set(variants.map((v) => v.id));

  /** Checks the `variants` of the phase or step at `owner`. */
  const checkVariants = (list: string[] | undefined, owner: PathSegment[], within?: string[]) => {
    if (list === undefined) return;
    list.forEach((id, i) => {
      if (!variantIds.has(id)) {
        const known = [...variantIds].map((v) => `\`${v}\``).join(', ') || 'none are declared';
        diagnostics.push(diagnosticAt(SCHEMA_CODES.unknownVariant, at([...owner, 'variants', i]), `Unexpected variant \`${id}\`, expected a declared variant (${known})`));
      } else if (within && within.length > 0 && !within.includes(id)) {
        diagnostics.push(
          diagnosticAt(
            SCHEMA_CODES.unknownVariant,
            at([...owner, 'variants', i]),
            `Unexpected variant \`${id}\` on a step of a phase that only runs in ${within.map((v) => `\`${v}\``).join(', ')}`,
          ),
        );
      }
    });
  };

  // The path of the phase or step that has the id, not a span: a position is only looked up when
  // there is a duplicate to report. One map per kind, keyed on the id itself (no key strings to
  // build for every step).
  const firstSeen = { phase: new Map<string, PathSegment[]>(), step: new Map<string, PathSegment[]>() };
  const unique = (kind: 'phase' | 'step', id: string, owner: PathSegment[]) => {
    const earlier = firstSeen[kind].get(id);
    if (earlier) {
      const d = diagnosticAt(SCHEMA_CODES.duplicateId, at([...owner, 'id']), `Unexpected duplicate ${kind} id \`${id}\`, expected ids unique in the runbook`);
      d.related = { message: `\`${id}\` is first defined here`, span: at([...earlier, 'id']) };
      diagnostics.push(d);
    } else {
      firstSeen[kind].set(id, owner);
    }
  };

  const captures = new Set<string>();
  const phases: Phase[] = raw.phases.map((p, pi) => {
    const phasePath: PathSegment[] = ['phases', pi];
    unique('phase', p.id, phasePath);
    checkVariants(p.variants, phasePath);
    if (p.parallel && p.scope !== 'each-node') {
      diagnostics.push(
        diagnosticAt(SCHEMA_CODES.misplacedProperty, at([...phasePath, 'parallel'], 'key'), `Unexpected \`parallel\` on a phase with scope \`${p.scope}\`, expected it only on \`each-node\` phases`),
      );
    }
    const steps = p.steps.map((s, si) => {
      const stepPath: PathSegment[] = ['phases', pi, 'steps', si];
      unique('step', s.id, stepPath);
      checkVariants(s.variants, stepPath, p.variants);
      const step = buildStep(s, stepPath, command, at);
      for (let k = 0; k < ONLY_ON.length; k++) {
        const [property, kind] = ONLY_ON[k]!;
        if (property in s && step.kind !== kind) {
          diagnostics.push(
            diagnosticAt(SCHEMA_CODES.misplacedProperty, at([...stepPath, property], 'key'), `Unexpected \`${property}\` on a \`${step.kind}\` step, expected it only on \`${kind}\` steps`),
          );
        }
      }
      if (s.runOn === 'node' && p.scope !== 'each-node') {
        diagnostics.push(
          diagnosticAt(SCHEMA_CODES.misplacedProperty, at([...stepPath, 'runOn']), `Unexpected \`runOn: node\` in a phase with scope \`${p.scope}\`, expected it only in \`each-node\` phases`),
        );
      }
      if (s.when !== undefined) {
        const parameter = parameterByName.get(s.when.toLowerCase());
        if (!parameter || parameter.type !== 'bool') {
          diagnostics.push(
            diagnosticAt(SCHEMA_CODES.unknownParameter, at([...stepPath, 'when']), `Unexpected \`when: ${s.when}\`, expected the name of a declared bool parameter`),
          );
        }
      }
      if (s.capture !== undefined) {
        const lower = s.capture.toLowerCase();
        if (parameterByName.has(lower) || captures.has(lower)) {
          diagnostics.push(
            diagnosticAt(SCHEMA_CODES.unknownParameter, at([...stepPath, 'capture']), `Unexpected \`capture: ${s.capture}\`, expected a name not already used by a parameter or an earlier capture`),
          );
        }
        captures.add(lower);
      }
      return step;
    });
    const phase: Phase = { id: p.id, title: p.title, description: p.description ?? '', scope: p.scope, variants: p.variants ?? NONE, steps, span: at(phasePath) };
    if (p.parallel) phase.parallel = { throttle: p.parallel.throttle };
    return phase;
  });

  const runbook: Runbook = {
    id: raw.runbook,
    title: raw.title,
    version: raw.version,
    summary: raw.summary,
    cluster: { maxNodesDown: raw.cluster?.maxNodesDown ?? 1 },
    parameters,
    variants,
    phases,
    draft: raw.draft ?? false,
    span: at([]),
  };
  if (raw.source !== undefined) runbook.sourceDocument = raw.source;
  // The IR is immutable from here on: rules and emitters share it without copies. Lists the
  // builder took over from the parsed data (effects, record, ...) are frozen with it; nothing
  // reads the parsed data after this point.
  return { runbook: deepFreeze(runbook), diagnostics };
}

function buildStep(
  s: RawStep,
  path: PathSegment[],
  command: (text: string, path: PathSegment[]) => Command,
  at: (path: PathSegment[], part?: 'key' | 'value') => SourceSpan,
): Step {
  const waivers: Waiver[] = s.waive === undefined ? NONE : s.waive.map((w, i) => ({ rule: w.rule, reason: w.reason, span: at([...path, 'waive', i]) }));
  // One object, its properties added in a fixed order (the common ones, the optional ones, then
  // those of the kind), rather than spreads of partial objects, which are several times slower
  // per step in V8. A property assigned twice keeps its first place, as with spreads.
  const step: StepUnderConstruction = {
    id: s.id,
    title: s.title,
    description: s.description ?? '',
    variants: s.variants ?? NONE,
    runOn: s.runOn ?? 'orchestrator',
    reboots: s.reboots ?? false,
    effects: s.effects ?? NONE,
    record: s.record ?? NONE,
    retries: s.retries ?? 0,
    waivers,
    span: at(path),
  };
  if (s.irreversible) step.irreversible = { reason: s.irreversible.reason };
  if (s.verify !== undefined) step.verify = command(s.verify, [...path, 'verify']);
  if (s.probe !== undefined) step.probe = command(s.probe, [...path, 'probe']);
  if (s.when !== undefined) step.when = s.when;
  if (s.capture !== undefined) step.capture = s.capture;
  if (s.timeoutMinutes !== undefined) step.timeoutSeconds = Math.round(s.timeoutMinutes * 60);
  if (s.run !== undefined) {
    step.kind = 'run';
    step.command = command(s.run, [...path, 'run']);
  } else if (s.manual !== undefined) {
    step.kind = 'manual';
    step.instructions = typeof s.manual === 'string' ? [s.manual] : s.manual;
  } else if (s.wait !== undefined) {
    step.kind = 'wait';
    step.until = command(s.wait, [...path, 'wait']);
    step.intervalSeconds = s.intervalSeconds ?? DEFAULT_WAIT_INTERVAL_SECONDS;
    step.timeoutSeconds = Math.round((s.timeoutMinutes ?? 0) * 60);
    step.onTimeout = s.onTimeout ?? 'The condition did not become true in time. Check the state the step waits for before going on.';
  } else if (s.check !== undefined) {
    step.kind = 'check';
    step.assert = command(s.check, [...path, 'check']);
    step.failMessage = s.failMessage ?? `The check "${s.title}" failed.`;
  } else if (s.confirm !== undefined) {
    step.kind = 'confirm';
    step.prompt = s.confirm;
  } else {
    const cau = s.cau!;
    step.kind = 'cau';
    step.action = cau.action;
    step.plugins = [{ name: cau.plugin, arguments: Object.entries(cau.arguments ?? {}).map(([name, value]) => ({ name, value })) }];
    step.options = Object.entries(cau.options ?? {}).map(([name, value]) => ({ name, value }));
  }
  return step as Step;
}

/** Every property of every kind of step, typed, each optional while the step is put together. */
type StepUnderConstruction = Partial<
  Omit<RunStep, 'kind'> & Omit<ManualStep, 'kind'> & Omit<WaitStep, 'kind'> & Omit<CheckStep, 'kind'> & Omit<ConfirmStep, 'kind'> & Omit<CauStep, 'kind'>
> & { kind?: StepKind };

function checkParameterDefault(p: Parameter, span: SourceSpan): Diagnostic[] {
  if (p.default === undefined) return [];
  const bad = (expected: string, shown = JSON.stringify(p.default)) => [
    diagnosticAt(SCHEMA_CODES.parameterDefault, span, `Unexpected default ${shown} for parameter \`${p.name}\`, expected ${expected}`),
  ];
  const v = p.default;
  switch (p.type) {
    case 'credential':
      // The value is most likely a password: never repeat it in a diagnostic or a log.
      return bad('no default: credentials are prompted for and never stored', '(value not shown)');
    case 'int':
      if (typeof v !== 'number' || !Number.isInteger(v)) return bad('an integer');
      if (p.minimum !== undefined && v < p.minimum) return bad(`at least ${p.minimum}`);
      if (p.maximum !== undefined && v > p.maximum) return bad(`at most ${p.maximum}`);
      return [];
    case 'bool':
      return typeof v === 'boolean' ? [] : bad('true or false');
    case 'string[]':
      return Array.isArray(v) ? [] : bad('a list of strings');
    case 'string':
      if (typeof v !== 'string') return bad('a string');
      if (p.allowed && !p.allowed.includes(v)) return bad(`one of ${p.allowed.map((a) => `\`${a}\``).join(', ')}`);
      if (p.pattern && !safeRegExp(p.pattern)?.test(v)) return bad(`a value matching \`${p.pattern}\``);
      return [];
  }
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}
