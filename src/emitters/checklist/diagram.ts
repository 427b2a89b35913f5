/**
 * The diagram of phases and variants, as data: an SVG layout for the HTML checklist (no scripts, no
 * network) and a flowchart for the Mermaid block of the Markdown checklist. Every phase of the runbook
 * is shown; the phases of the checklist's own variant are drawn solid and numbered, the others dashed,
 * so that the diagram reads in black and white.
 */
import { variantsOf, type VariantPlan } from '../../model/plan.js';

export interface SvgText {
  x: number;
  y: number;
  text: string;
}

/** A line of a phase's box; `current` as its box's (the templates read a line's own fields only). */
export interface SvgBoxLine extends SvgText {
  current: boolean;
}

export interface SvgBox {
  x: number;
  y: number;
  width: number;
  height: number;
  current: boolean;
  lines: SvgBoxLine[];
}

export interface SvgColumn {
  x: number;
  width: number;
  /** The whole diagram's height: the current variant's column is shaded from top to bottom. */
  height: number;
  current: boolean;
  lines: SvgText[];
}

export interface SvgArrow {
  x: number;
  y1: number;
  y2: number;
}

export interface DiagramSvg {
  width: number;
  height: number;
  columns: SvgColumn[];
  boxes: SvgBox[];
  arrows: SvgArrow[];
}

export interface MermaidNode {
  id: string;
  label: string;
  current: boolean;
}

export interface MermaidEdge {
  from: string;
  to: string;
  /** Variant ids taking this edge; empty when every variant takes it. */
  label: string;
  hasLabel: boolean;
}

export interface DiagramMermaid {
  nodes: MermaidNode[];
  edges: MermaidEdge[];
}

const WIDTH = 720;
const MARGIN = 4;
const GAP = 8;
const LINE_HEIGHT = 14;
const BOX_PADDING = 8;
const ROW_GAP = 14;
/** Average advance of the 11px sans-serif the SVG uses; wrapping is computed here, not by the browser. */
const CHAR_WIDTH = 6.2;

export function wrapText(text: string, maxChars: number): string[] {
  const words = text.split(/\s+/).filter((w) => w !== '');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (candidate.length <= maxChars || line === '') {
      line = candidate;
    } else {
      lines.push(line);
      line = word;
    }
    while (line.length > maxChars) {
      lines.push(line.slice(0, maxChars));
      line = line.slice(maxChars);
    }
  }
  if (line !== '') lines.push(line);
  return lines.length > 0 ? lines : [''];
}

/** Phase ids of each variant's plan, by variant id. */
function phasesByVariant(plans: readonly VariantPlan[]): Map<string, Set<string>> {
  return new Map(plans.map((p) => [p.variant.id, new Set(p.phases.map((ph) => ph.id))]));
}

/** Maximal runs of adjacent variant columns a phase belongs to. */
function columnRuns(memberColumns: boolean[]): Array<{ first: number; last: number }> {
  const runs: Array<{ first: number; last: number }> = [];
  memberColumns.forEach((member, i) => {
    if (!member) return;
    const previous = runs[runs.length - 1];
    if (previous && previous.last === i - 1) previous.last = i;
    else runs.push({ first: i, last: i });
  });
  return runs;
}

/** `plans`: the plans of every variant of the runbook (planAll), which the diagram shows side by side. */
export function diagramSvg(plan: VariantPlan, plans: readonly VariantPlan[]): DiagramSvg {
  const { runbook } = plan;
  const variants = variantsOf(runbook);
  const membership = phasesByVariant(plans);
  const numbers = new Map(plan.phases.map((p, i) => [p.id, i + 1]));
  const columnWidth = (WIDTH - 2 * MARGIN - GAP * (variants.length - 1)) / variants.length;
  const columnX = (i: number): number => MARGIN + i * (columnWidth + GAP);
  const charsIn = (width: number): number => Math.max(8, Math.floor((width - 2 * BOX_PADDING) / CHAR_WIDTH));

  let y = MARGIN;
  const headerLines = variants.map((v) => wrapText(v.title, charsIn(columnWidth)));
  const headerHeight = Math.max(...headerLines.map((l) => l.length)) * LINE_HEIGHT + BOX_PADDING;
  const columns: SvgColumn[] = variants.map((v, i) => ({
    x: columnX(i),
    width: columnWidth,
    height: 0,
    current: v.id === plan.variant.id,
    lines: (headerLines[i] ?? []).map((text, j) => ({ x: columnX(i) + columnWidth / 2, y: y + (j + 1) * LINE_HEIGHT - 3, text })),
  }));
  y += headerHeight + ROW_GAP;

  const boxes: SvgBox[] = [];
  const arrows: SvgArrow[] = [];
  const currentColumn = variants.findIndex((v) => v.id === plan.variant.id);
  let previousCurrentBottom: number | undefined;
  for (const phase of runbook.phases) {
    const member = variants.map((v) => membership.get(v.id)?.has(phase.id) ?? false);
    const runs = columnRuns(member);
    if (runs.length === 0) continue;
    const number = numbers.get(phase.id);
    const label = number === undefined ? phase.title : `${number}. ${phase.title}`;
    const laidOut = runs.map((run) => {
      const x = columnX(run.first);
      const width = columnX(run.last) + columnWidth - x;
      return { x, width, lines: wrapText(label, charsIn(width)), current: run.first <= currentColumn && currentColumn <= run.last };
    });
    const height = Math.max(...laidOut.map((b) => b.lines.length)) * LINE_HEIGHT + 2 * BOX_PADDING - 4;
    for (const box of laidOut) {
      boxes.push({
        x: box.x,
        y,
        width: box.width,
        height,
        current: box.current,
        lines: box.lines.map((text, j) => ({ x: box.x + box.width / 2, y: y + BOX_PADDING + (j + 1) * LINE_HEIGHT - 4, text, current: box.current })),
      });
      if (box.current) {
        if (previousCurrentBottom !== undefined) {
          arrows.push({ x: columnX(currentColumn) + columnWidth / 2, y1: previousCurrentBottom, y2: y - 1 });
        }
        previousCurrentBottom = y + height;
      }
    }
    y += height + ROW_GAP;
  }
  const height = Math.ceil(y - ROW_GAP + MARGIN);
  for (const column of columns) column.height = height;
  return { width: WIDTH, height, columns, boxes, arrows };
}

/** `plans`: the plans of every variant of the runbook (planAll). */
export function diagramMermaid(plan: VariantPlan, plans: readonly VariantPlan[]): DiagramMermaid {
  const { runbook } = plan;
  const nodeIds = new Map(runbook.phases.map((p, i) => [p.id, `p${i + 1}`]));
  const current = new Set(plan.phases.map((p) => p.id));
  const numbers = new Map(plan.phases.map((p, i) => [p.id, i + 1]));
  const inSomePlan = new Set(plans.flatMap((p) => p.phases.map((ph) => ph.id)));
  const nodes: MermaidNode[] = runbook.phases
    .filter((p) => inSomePlan.has(p.id))
    .map((p) => {
      const number = numbers.get(p.id);
      return { id: nodeIds.get(p.id)!, label: number === undefined ? p.title : `${number}. ${p.title}`, current: current.has(p.id) };
    });
  const edgeVariants = new Map<string, { from: string; to: string; variants: string[] }>();
  for (const variantPlan of plans) {
    variantPlan.phases.forEach((phase, i) => {
      const next = variantPlan.phases[i + 1];
      if (!next) return;
      const from = nodeIds.get(phase.id)!;
      const to = nodeIds.get(next.id)!;
      const key = `${from}>${to}`;
      const edge = edgeVariants.get(key) ?? { from, to, variants: [] };
      edge.variants.push(variantPlan.variant.id);
      edgeVariants.set(key, edge);
    });
  }
  const edges: MermaidEdge[] = [...edgeVariants.values()].map((e) => {
    const everyVariant = e.variants.length === plans.length;
    return { from: e.from, to: e.to, label: everyVariant ? '' : e.variants.join(', '), hasLabel: !everyVariant };
  });
  return { nodes, edges };
}
