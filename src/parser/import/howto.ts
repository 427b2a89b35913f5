/**
 * A Learn-style how-to (mdast) -> a draft runbook (plain data in the authoring shape), with a
 * finding for everything read, guessed or left out.
 *
 * `##` sections become phases, numbered items and code blocks become steps, warnings that say a
 * change cannot be undone make a step irreversible, and sections that describe another way of
 * doing the same thing become variants. Every heuristic choice is a finding, and the ones an
 * author must confirm also get a review marker at the step they concern.
 */
import type { Blockquote, Code, Heading, List, ListItem, Paragraph, PhrasingContent, Root, RootContent } from 'mdast';
import { parse as parseYaml } from 'yaml';
import type { PhaseScope } from '../../model/runbook.js';
import { slug } from '../../util/slug.js';
import { inlineMarkdown, endOf, startOf } from '../markdown/text.js';
import { cauFromCommand, type CauDraft } from './cau.js';
import { cleanCommand, fixMentions, type CommandContext, type ParameterDraft } from './commands.js';
import type { PreparedDocument } from './learn.js';
import type { ImportFinding } from './report.js';

export interface StepDraft {
  runOn?: 'node';
  title: string;
  line: number;
  description: string[];
  run?: string;
  cau?: CauDraft;
  manual?: string[];
  confirm?: string;
  irreversible?: string;
  perNode: boolean;
  reviews: ImportFinding[];
}

export interface PhaseDraft {
  title: string;
  line: number;
  description: string[];
  scope: PhaseScope;
  variants: string[];
  steps: StepDraft[];
  reviews: ImportFinding[];
}

export interface HowToDraft {
  title: string;
  summary: string;
  parameters: Map<string, ParameterDraft>;
  variants: Array<{ id: string; title: string; description: string }>;
  phases: PhaseDraft[];
  reviews: ImportFinding[];
  findings: ImportFinding[];
}

const POWERSHELL = new Set(['powershell', 'pwsh', 'ps', 'ps1', 'azurepowershell', 'azurepowershell-interactive']);
const OUTPUT = new Set(['output', 'console', 'text', 'txt', 'log']);
const SKIPPED_SECTION = /^(next steps?|see also|related (content|articles?)|tools used|high-level workflow|workflow|overview|about|introduction|prerequisites overview)\b/i;
const ALTERNATIVE_TITLE = /^perform an? \b/i;
const ALTERNATIVE_TEXT = /\bthis method\b|\balternatively\b|\binstead of\b|\bmay be for you\b|\banother way\b/i;
const PER_NODE = /\bfor each (node|server)\b|\bon (every|each) (node|server)\b|\bon all (the )?servers\b|\bon the target node\b/i;
const ON_CLIENT = /\bon (your|the) client\b|\bfrom (your|the) client\b/i;
const MAKE_SURE = /\bmake sure\b|\bensure\b|\bbefore you begin\b|\bverify that\b|\bcheck that\b/i;
const IRREVERSIBLE = /\b(can't|cannot|can not|no longer|won't be able)\b.*\b(roll ?back|undo|undone|revert|go back|return)\b|\birreversible\b|\bpermanent(ly)?\b/i;
const ASKS_TO_CONFIRM = /you'll (see a warning|be asked to confirm)|confirm \*\*y\*\*|asked to confirm/i;
const SAMPLE_OUTPUT_INTRO = /\bsample output\b|\bexample output\b|\boutput (looks|is) like\b/i;
const VERIFY_AFTER = /\b(inspect|verify|make sure|ensure|check) (the output|that)\b/i;
const RUN_THE_CMDLET = /\b(?:run|running|use|using)\s+(?:the\s+)?`([A-Z][A-Za-z]+-[A-Za-z][\w-]*)`(?:\s+cmdlet)?/;
const PLACEHOLDER_TEXT = /\bX{3,}\b/;
const ALERT = /^\[!([A-Za-z]+)\]/;

export function draftFromHowTo(doc: PreparedDocument, findings: ImportFinding[]): HowToDraft {
  return new HowToReader(doc, findings).read();
}

interface Group {
  title: string;
  line: number;
  lead: Paragraph[];
  steps: StepDraft[];
  perNode: boolean;
  onClient: boolean;
}

class HowToReader {
  private readonly parameters = new Map<string, ParameterDraft>();
  private readonly runbookReviews: ImportFinding[] = [];
  private readonly phases: PhaseDraft[] = [];
  private readonly alternatives: Array<{ title: string; line: number; description: string; phases: PhaseDraft[] }> = [];

  constructor(
    private readonly doc: PreparedDocument,
    private readonly findings: ImportFinding[],
  ) {}

  read(): HowToDraft {
    const nodes = this.doc.tree.children;
    let frontMatter: Record<string, unknown> = {};
    let title = '';
    let summary = '';
    let i = 0;
    if (nodes[0]?.type === 'yaml') {
      try {
        // The YAML library's warnings (an unknown tag such as `!INCLUDE`) are not printed on the
        // author's terminal; front matter that does not read is a defect in the report below.
        const parsed = parseYaml(nodes[0].value, { logLevel: 'error' }) as unknown;
        if (parsed && typeof parsed === 'object') frontMatter = parsed as Record<string, unknown>;
      } catch {
        this.finding({ category: 'defect', line: 1, message: 'The front matter is not valid YAML; its title and description were not read' });
      }
      i = 1;
    }
    // Title and introduction: everything before the first `##` section.
    for (; i < nodes.length && !(nodes[i]!.type === 'heading' && (nodes[i] as Heading).depth === 2); i++) {
      const node = nodes[i]!;
      if (node.type === 'heading' && node.depth === 1 && !title) title = this.inline(node);
      else if (node.type === 'paragraph' && title && !summary) summary = this.inline(node);
      else if (node.type === 'list' || node.type === 'code') {
        this.finding({ category: 'unmapped', line: this.line(node), message: `The introduction's ${node.type === 'list' ? 'list' : 'code block'} is not imported: it comes before the first \`##\` section` });
      }
    }
    if (!title) title = typeof frontMatter.title === 'string' ? frontMatter.title : 'Imported procedure';
    if (!summary) summary = typeof frontMatter.description === 'string' ? frontMatter.description : title;

    // Sections.
    while (i < nodes.length) {
      const heading = nodes[i] as Heading;
      const body: RootContent[] = [];
      for (i++; i < nodes.length && !(nodes[i]!.type === 'heading' && (nodes[i] as Heading).depth <= 2); i++) body.push(nodes[i]!);
      this.readSection(heading, body);
    }
    this.attachDocumentDefects();
    const variants = this.variants();
    return { title, summary, parameters: this.parameters, variants, phases: this.phases, reviews: this.runbookReviews, findings: this.findings };
  }

  // --- sections -------------------------------------------------------------------------------

  private readSection(heading: Heading, body: RootContent[]): void {
    const title = this.inline(heading);
    const line = this.line(heading);
    if (heading.depth === 1) {
      this.finding({ category: 'defect', line, message: `A second \`#\` title (\`${title}\`) is not imported` });
      return;
    }
    const actionable = body.some((n) => (n.type === 'code' && this.isCommandBlock(n)) || (n.type === 'list' && (n.ordered || this.listOfCommands(n))));
    const prose = body.filter((n): n is Paragraph => n.type === 'paragraph').map((p) => this.inline(p));
    if (SKIPPED_SECTION.test(title) || (!actionable && !this.isChecklistSection(body))) {
      this.finding({ category: 'unmapped', line, message: `Section \`${title}\` has no steps to run (an overview, links or background); not imported` });
      return;
    }
    const alternative = ALTERNATIVE_TITLE.test(title) || prose.some((p) => ALTERNATIVE_TEXT.test(p));
    const groups = this.readGroups(title, line, body);
    const phases = this.phasesFromGroups(groups);
    if (phases.length === 0) {
      this.finding({ category: 'unmapped', line, message: `Section \`${title}\` produced no steps; not imported` });
      return;
    }
    for (const zone of this.doc.zones) {
      if (line >= zone.startLine && line <= zone.endLine) for (const p of phases) p.variants = [zone.pivot];
    }
    if (alternative && phases.every((p) => p.variants.length === 0)) {
      this.alternatives.push({ title, line, description: prose[0] ?? '', phases });
    }
    this.phases.push(...phases);
  }

  private isChecklistSection(body: RootContent[]): boolean {
    const lead = body.find((n): n is Paragraph => n.type === 'paragraph');
    return !!lead && MAKE_SURE.test(this.inline(lead)) && body.some((n) => n.type === 'list');
  }

  private readGroups(title: string, line: number, body: RootContent[]): Group[] {
    const groups: Group[] = [];
    let group: Group = { title, line, lead: [], steps: [], perNode: false, onClient: false };
    groups.push(group);
    const startGroup = (t: string, l: number) => {
      group = { title: t, line: l, lead: [], steps: [], perNode: false, onClient: false };
      groups.push(group);
    };
    body.forEach((node, k) => {
      const rest = body.slice(k + 1);
      switch (node.type) {
        case 'heading':
          startGroup(this.inline(node), this.line(node));
          break;
        case 'paragraph': {
          const text = this.inline(node);
          const last = group.steps[group.steps.length - 1];
          if (group.steps.length > 0 && this.actionFollows(rest)) {
            startGroup(text.replace(/[:.]\s*$/, ''), this.line(node));
            group.lead.push(node);
          } else if (!last) {
            group.lead.push(node);
          } else {
            this.trailingParagraph(last, node);
          }
          if (PER_NODE.test(text)) group.perNode = true;
          if (ON_CLIENT.test(text)) group.onClient = true;
          break;
        }
        case 'code':
          this.sectionCode(group, node, body[k - 1]);
          break;
        case 'list':
          this.sectionList(group, node);
          break;
        case 'blockquote':
          this.alert(node, group.steps[group.steps.length - 1], group);
          break;
        default:
          break;
      }
    });
    return groups.filter((g) => g.steps.length > 0);
  }

  private actionFollows(rest: RootContent[]): boolean {
    for (const node of rest) {
      if (node.type === 'paragraph') continue;
      return (node.type === 'code' && this.isCommandBlock(node)) || (node.type === 'list' && (node.ordered === true || this.listOfCommands(node)));
    }
    return false;
  }

  private sectionCode(group: Group, node: Code, previous: RootContent | undefined): void {
    if (!this.isCommandBlock(node) || (previous?.type === 'paragraph' && SAMPLE_OUTPUT_INTRO.test(this.inline(previous)))) {
      this.sampleOutput(node);
      return;
    }
    const step = this.newStep(group.steps.length === 0 ? group.title : this.leadTitle(previous) ?? group.title, this.line(node));
    this.setCommand(step, node);
    group.steps.push(step);
  }

  private sectionList(group: Group, node: List): void {
    if (node.ordered) {
      for (const item of node.children) group.steps.push(...this.itemSteps(item));
      return;
    }
    if (this.listOfCommands(node)) {
      for (const item of node.children) {
        const code = (item.children[0] as Paragraph).children.find((c) => c.type === 'inlineCode')!;
        const step = this.newStep(`Run ${code.value.split(/\s+/)[0]}`, this.line(item));
        this.setCommandText(step, code.value, this.line(item));
        group.steps.push(step);
      }
      return;
    }
    const lead = group.lead.map((p) => this.inline(p)).join(' ');
    if (group.steps.length === 0 && MAKE_SURE.test(lead)) {
      const step = this.newStep(group.title, this.line(node));
      step.manual = node.children.map((item) => this.fixText(this.inlineOf(item), step));
      this.finding({ category: 'inferred', line: this.line(node), message: `The list under \`${group.title}\` became a manual checklist step (${step.manual.length} items)` }, step);
      group.steps.push(step);
      return;
    }
    this.finding({ category: 'unmapped', line: this.line(node), message: `A bulleted list in \`${group.title}\` describes rather than instructs; not imported` });
  }

  /** Steps from one numbered item: its command, or a manual step; extra paragraphs of a command item are steps of their own. */
  private itemSteps(item: ListItem): StepDraft[] {
    const steps: StepDraft[] = [];
    const [first, ...rest] = item.children;
    const line = this.line(item);
    let step: StepDraft;
    const commandOnly = first?.type === 'paragraph' && this.commandOnly(first);
    if (first?.type === 'paragraph' && commandOnly) {
      step = this.newStep(`Run ${commandOnly.split(/\s+/)[0]}`, line);
      this.setCommandText(step, commandOnly, line);
    } else {
      const text = first?.type === 'paragraph' ? this.inline(first) : '';
      const [titleText, more] = splitTitle(text);
      step = this.newStep(titleText || 'Untitled step', line);
      if (more) step.description.push(more);
      step.perNode = PER_NODE.test(text);
      if (first && first.type !== 'paragraph') rest.unshift(first);
    }
    steps.push(step);
    rest.forEach((node, k) => {
      const previous = k === 0 ? first : rest[k - 1];
      if (node.type === 'code') {
        if (!this.isCommandBlock(node) || (previous?.type === 'paragraph' && SAMPLE_OUTPUT_INTRO.test(this.inline(previous)))) {
          this.sampleOutput(node);
        } else if (step.run !== undefined) {
          this.finding({ category: 'guessed', line: this.line(node), message: `A second command block in \`${step.title}\` was appended to its command` }, step);
          this.setCommand(step, node, true);
        } else {
          // A lead-in such as "Run the following cmdlet:" is replaced by the command itself.
          const lead = step.description[step.description.length - 1];
          if (lead && /:\s*$/.test(lead)) step.description.pop();
          this.setCommand(step, node);
        }
      } else if (node.type === 'paragraph') {
        if (commandOnly) {
          const [subTitle] = splitTitle(this.inline(node));
          const sub = this.newStep(subTitle, this.line(node));
          sub.perNode = step.perNode;
          steps.push(sub);
          step = sub;
          this.manualFromText(sub, this.inline(node), this.line(node));
        } else if (step.run !== undefined || step.cau !== undefined) {
          this.trailingParagraph(step, node);
        } else {
          step.description.push(this.inline(node));
        }
      } else if (node.type === 'blockquote') {
        this.alert(node, step);
      } else if (node.type === 'list') {
        step.manual = [...(step.manual ?? []), ...node.children.map((li) => this.fixText(this.inlineOf(li), step))];
      }
    });
    for (const s of steps) {
      if (s.run === undefined && s.cau === undefined && s.manual === undefined && s.confirm === undefined) this.manualFromText(s, [s.title, ...s.description].join(' '), s.line);
    }
    return steps;
  }

  /** A step without a command: run the one cmdlet its text names, or make it manual. */
  private manualFromText(step: StepDraft, text: string, line: number): void {
    const fixed = this.fixText(text, step);
    const named = RUN_THE_CMDLET.exec(fixed);
    const cmdlets = [...fixed.matchAll(/`([A-Z][A-Za-z]+-[A-Za-z][\w-]*)`/g)];
    if (named && cmdlets.length === 1 && /^(run|use)\b/i.test(text.trim())) {
      this.setCommandText(step, named[1]!, line);
      this.finding({ category: 'guessed', line, message: `\`${step.title}\` has no code block; took \`${named[1]}\` from its text as the command (add the parameters it needs)` }, step);
      return;
    }
    step.manual = [fixed];
    step.description = [];
    this.finding(
      {
        category: 'inferred',
        line,
        message:
          `Step \`${step.title}\` has no command: it became a manual step` +
          (cmdlets.length > 0 ? ` (it names ${cmdlets.map((c) => `\`${c[1]}\``).join(', ')}: consider a \`check\` or \`wait\` step with a condition)` : ''),
      },
      step,
    );
  }

  private trailingParagraph(step: StepDraft, node: Paragraph): void {
    const text = this.inline(node);
    // "The updating run process includes the following:" introduces a list or sample that is not imported.
    if (SAMPLE_OUTPUT_INTRO.test(text) || /:\s*$/.test(text)) return;
    if (ASKS_TO_CONFIRM.test(text)) {
      this.finding(
        {
          category: 'guessed',
          line: this.line(node),
          message: `The how-to says the command asks for confirmation ("${truncate(text)}"); a script cannot answer: once the step is gated, add \`-Force\` or \`-Confirm:$false\``,
        },
        step,
      );
      return;
    }
    if (VERIFY_AFTER.test(text) && step.confirm === undefined) {
      step.description.push(text);
      this.finding({ category: 'guessed', line: this.line(node), message: `"${truncate(text)}" reads like a check of the result: consider a \`confirm\` or \`check\` step after \`${step.title}\`` }, step);
      return;
    }
    step.description.push(text);
  }

  private alert(node: Blockquote, step: StepDraft | undefined, group?: Group): void {
    const first = node.children[0];
    const lead = first?.type === 'paragraph' ? first.children[0] : undefined;
    const kind = lead?.type === 'text' ? ALERT.exec(lead.value)?.[1]?.toUpperCase() : undefined;
    const text = this.inline(node).replace(/^>?\s*\[![A-Za-z]+\]\s*/, '');
    if (kind && ['WARNING', 'CAUTION'].includes(kind) && IRREVERSIBLE.test(text) && step) {
      step.irreversible = text;
      this.finding({ category: 'inferred', line: this.line(node), message: `The ${kind} alert makes \`${step.title}\` irreversible (it is gated in the script): "${truncate(text)}"` }, step);
      return;
    }
    const label = kind ? kind[0] + kind.slice(1).toLowerCase() : 'Note';
    if (step) step.description.push(`${label}: ${text}`);
    else if (group) group.lead.push({ type: 'paragraph', children: [{ type: 'text', value: `${label}: ${text}` }] });
    this.finding(
      { category: 'inferred', line: this.line(node), message: `The ${kind ?? 'quoted'} note was kept in the description${step ? ` of \`${step.title}\`` : ''}: "${truncate(text)}"${kind === 'IMPORTANT' ? '; if it is a precondition, make it a `check` step' : ''}` },
      kind === 'IMPORTANT' ? step : undefined,
    );
  }

  private sampleOutput(node: Code): void {
    const prompts = node.value.split('\n').filter((l) => /^\s*(\[[^\]]+\]:\s*)?PS [^>]*>/.test(l)).length;
    this.finding({
      category: 'unmapped',
      line: this.line(node),
      message:
        prompts > 0
          ? `Sample output (\`${node.lang ?? 'no language'}\` block) with ${prompts} prompt line(s): a transcript of commands mixed with their output; not imported (the commands are taken from the block before it)`
          : `Sample output (\`${node.lang ?? 'no language'}\` block) is not imported`,
    });
  }

  // --- commands -------------------------------------------------------------------------------

  private setCommand(step: StepDraft, node: Code, append = false): void {
    this.setCommandText(step, node.value, this.line(node) + 1, append);
  }

  private setCommandText(step: StepDraft, text: string, line: number, append = false): void {
    const ctx = this.context(step, line);
    const command = cleanCommand(text, ctx);
    if (command === undefined) return;
    const converted = append ? undefined : cauFromCommand(command);
    if (converted) {
      step.cau = converted.cau;
      const dropped = converted.dropped.length > 0 ? `; dropped ${converted.dropped.map((d) => `\`${d}\``).join(', ')} (the runbook gives the cluster and credential, and gates the run itself)` : '';
      this.finding({ category: 'inferred', line, message: `\`${command.split('\n')[0]}\` became a \`cau\` ${converted.cau.action} step with \`${converted.cau.plugin}\`, run through a CAU run profile${dropped}` }, step);
      return;
    }
    step.run = append && step.run !== undefined ? `${step.run}\n${command}` : command;
    // A step named after its command takes the corrected name.
    if (/^Run [A-Za-z]+-/.test(step.title) && !append) step.title = `Run ${command.split(/\s+/)[0]}`;
    if (/\$Node\b/.test(command)) step.perNode = true;
  }

  private context(step: StepDraft | undefined, line: number): CommandContext {
    return {
      line,
      parameters: this.parameters,
      note: (f, review) => this.finding({ ...f, line: f.line ?? line }, review ? step : undefined),
    };
  }

  private fixText(text: string, step: StepDraft): string {
    const fixed = fixMentions(text, this.context(step, step.line));
    const placeholder = PLACEHOLDER_TEXT.exec(fixed);
    if (placeholder) {
      this.finding(
        { category: 'defect', line: step.line, message: `Placeholder \`${placeholder[0]}\` in "${truncate(fixed)}": the how-to never gives the value; write it (or make it a parameter)` },
        step,
      );
    }
    return fixed;
  }

  // --- phases and variants ----------------------------------------------------------------------

  private phasesFromGroups(groups: Group[]): PhaseDraft[] {
    const phases: PhaseDraft[] = [];
    for (const group of groups) {
      const description = group.lead.map((p) => this.inline(p)).filter((t) => !/:\s*$/.test(t));
      // Steps that run on every server go into a per-server phase of their own.
      const runs: Array<{ perNode: boolean; steps: StepDraft[] }> = [];
      for (const step of group.steps) {
        const perNode = group.perNode || step.perNode;
        const last = runs[runs.length - 1];
        if (last && last.perNode === perNode) last.steps.push(step);
        else runs.push({ perNode, steps: [step] });
      }
      runs.forEach((run, k) => {
        const scope: PhaseScope = run.perNode ? 'each-node' : group.onClient ? 'orchestrator' : 'cluster';
        const title = runs.length > 1 && run.perNode ? `${group.title} (on every server)` : k > 0 ? `${group.title} (continued)` : group.title;
        const phase: PhaseDraft = { title, line: run.steps[0]!.line, description: k === 0 ? description : [], scope, variants: [], steps: run.steps, reviews: [] };
        if (run.perNode) {
          for (const step of run.steps) if (step.run !== undefined && !/\$Node\b/.test(step.run)) step.perNode = true;
          this.findings.push({ category: 'inferred', line: phase.line, message: `\`${title}\` runs once per server (scope \`each-node\`): the text says so${group.perNode ? '' : ' for its steps'}` });
        }
        phases.push(phase);
      });
    }
    return phases;
  }

  private variants(): Array<{ id: string; title: string; description: string }> {
    const zones = [...new Set(this.doc.zones.map((z) => z.pivot))];
    if (zones.length > 0) {
      for (const z of zones) this.findings.push({ category: 'inferred', line: this.doc.zones.find((x) => x.pivot === z)!.startLine - 1, message: `Zone pivot \`${z}\` became the variant \`${z}\`` });
      return zones.map((z) => ({ id: slug(z, 'variant'), title: z, description: `The how-to's \`${z}\` pivot.` }));
    }
    if (this.alternatives.length === 0) return [];
    const main = { id: 'main', title: 'The how-to’s main path', description: 'The procedure as the how-to describes it first.' };
    const variants = [main];
    const used = new Set(['main']);
    for (const alt of this.alternatives) {
      const id = unique(slug(alt.title.replace(ALTERNATIVE_TITLE, ''), 'variant'), used);
      variants.push({ id, title: alt.title, description: alt.description || alt.title });
      for (const phase of alt.phases) phase.variants = [id];
      this.finding(
        {
          category: 'guessed',
          line: alt.line,
          message: `Section \`${alt.title}\` looks like another way of doing the same thing: it became the variant \`${id}\`. Every other phase is in every variant; restrict the phases that belong to one way only (\`variants: [main]\`)`,
        },
        undefined,
        true,
      );
    }
    return variants;
  }

  /** Defects found before the steps existed (unclosed fences) get a review marker at the step they fall in. */
  private attachDocumentDefects(): void {
    const steps = this.phases.flatMap((p) => p.steps).sort((a, b) => a.line - b.line);
    for (const f of this.findings) {
      if (f.category !== 'defect' || !f.message.startsWith('Code fence')) continue;
      const step = steps.filter((s) => s.line <= f.line).pop();
      if (step && !step.reviews.includes(f)) step.reviews.push(f);
    }
  }

  // --- helpers ------------------------------------------------------------------------------------

  private newStep(title: string, line: number): StepDraft {
    const quiet: CommandContext = { line, parameters: this.parameters, note: () => undefined };
    return { title: cleanTitle(fixMentions(title, quiet)), line, description: [], perNode: false, reviews: [] };
  }

  private finding(f: ImportFinding, step?: StepDraft, runbookLevel = false): void {
    this.findings.push(f);
    if (step) step.reviews.push(f);
    else if (runbookLevel) this.runbookReviews.push(f);
  }

  private isCommandBlock(node: Code): boolean {
    const lang = (node.lang ?? '').toLowerCase();
    if (POWERSHELL.has(lang)) return true;
    if (OUTPUT.has(lang)) return false;
    // An untagged block is a command when it starts like one.
    return lang === '' && /^\s*(\$\w+\s*=|[A-Z][a-z]+-[A-Za-z])/.test(node.value);
  }

  /** The command of a paragraph that is nothing but one inline code span holding a command. */
  private commandOnly(node: Paragraph): string | undefined {
    const meaningful = node.children.filter((c) => !(c.type === 'text' && c.value.trim() === ''));
    const only = meaningful.length === 1 ? meaningful[0] : undefined;
    return only?.type === 'inlineCode' && /^[A-Za-z]+-[A-Za-z]/.test(only.value) ? only.value : undefined;
  }

  private listOfCommands(node: List): boolean {
    return node.children.length > 0 && node.children.every((item) => item.children.length === 1 && item.children[0]!.type === 'paragraph' && !!this.commandOnly(item.children[0] as Paragraph));
  }

  private leadTitle(previous: RootContent | undefined): string | undefined {
    return previous?.type === 'paragraph' ? splitTitle(this.inline(previous))[0] : undefined;
  }

  private inline(node: { position?: Heading['position']; children?: PhrasingContent[] | RootContent[] }): string {
    const children = node.children as Array<{ position?: Heading['position'] }> | undefined;
    if (children && children.length > 0 && (node as { type?: string }).type === 'heading') {
      return inlineMarkdown(this.doc.text, startOf(children[0]!), endOf(children[children.length - 1]!));
    }
    return inlineMarkdown(this.doc.text, startOf(node), endOf(node));
  }

  private inlineOf(item: ListItem): string {
    const first = item.children[0];
    const last = item.children[item.children.length - 1];
    return first && last ? inlineMarkdown(this.doc.text, startOf(first), endOf(last)) : '';
  }

  private line(node: { position?: Heading['position'] }): number {
    const prepared = node.position?.start.line ?? 1;
    return this.doc.originalLine[prepared - 1] ?? prepared;
  }
}

/** The first sentence as a title, and the rest. */
function splitTitle(text: string): [string, string] {
  const stripped = text.replace(/^\*\*(.+?)\*\*/, '$1');
  const m = /^(.+?[.:!?])(\s+|$)(.*)$/s.exec(stripped);
  const [first, rest] = m && m[1]!.length <= 160 ? [m[1]!, m[3]!.trim()] : [stripped, ''];
  // A long first sentence keeps its first clause as the title; the whole sentence stays in the description.
  const comma = first.indexOf(', ');
  if (first.length > 90 && comma >= 20) return [first.slice(0, comma), [first, rest].filter(Boolean).join(' ')];
  return [first, rest];
}

function cleanTitle(text: string): string {
  return text.replace(/\*\*/g, '').replace(/[.:]+\s*$/, '').replace(/\s+/g, ' ').trim() || 'Untitled step';
}

function truncate(text: string): string {
  return text.length > 90 ? `${text.slice(0, 87)}...` : text;
}

export function unique(id: string, used: Set<string>): string {
  let candidate = id;
  for (let n = 2; used.has(candidate); n++) candidate = `${id}-${n}`;
  used.add(candidate);
  return candidate;
}
