import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import type { Nodes } from 'mdast';
import { diffRunbooks, renderDiffMarkdown, type PlanDiff } from '../../src/diff/index.js';
import { lineDiff } from '../../src/diff/render.js';
import type { Runbook, Step } from '../../src/model/runbook.js';
import { BUNDLED_PATH, loadBundledRunbook } from '../fixtures/load-bundled.js';
import { HOSTILE } from '../fixtures/hostile-runbook.js';

const plan = (d: ReturnType<typeof diffRunbooks>, variant: string): PlanDiff => d.plans.find((p) => p.variantId === variant)!;
const phase = (rb: Runbook, id: string) => rb.phases.find((p) => p.id === id)!;
const step = (rb: Runbook, phaseId: string, stepId: string): Step => phase(rb, phaseId).steps.find((s) => s.id === stepId)!;

describe('plan diff', () => {
  it('finds nothing between a runbook and itself', () => {
    const d = diffRunbooks(loadBundledRunbook(), loadBundledRunbook());
    for (const p of d.plans) {
      expect([p.stepsAdded, p.stepsRemoved, p.stepsMoved, p.stepChanges, p.phaseChanges]).toEqual([[], [], [], [], []]);
      expect(p.pointOfNoReturn.changed).toBe(false);
    }
    expect(renderDiffMarkdown(d)).toContain('No differences at the plan level');
  });

  it('reports a removed gate and an added step, per variant, without calling renumbered steps moved', () => {
    const after = loadBundledRunbook();
    const validate = phase(after, 'validate-cluster');
    validate.steps = validate.steps.filter((s) => s.id !== 'review-validation');
    const prereq = phase(after, 'prerequisites');
    prereq.steps.unshift({ ...structuredClone(prereq.steps[0]!), id: 'new-first', title: 'A new first step' });
    const d = diffRunbooks(loadBundledRunbook(), after);
    const cau = plan(d, 'cau-rolling');
    expect(cau.stepsRemoved.map((s) => [s.stepId, s.number, s.gate])).toEqual([['review-validation', '5.3', true]]);
    expect(cau.stepsAdded.map((s) => [s.stepId, s.number])).toEqual([['new-first', '1.1']]);
    expect(cau.stepsMoved).toEqual([]);
    expect(cau.stepChanges).toEqual([]);
    // The point of no return is the same step, though its number did not change here either.
    expect(cau.pointOfNoReturn.changed).toBe(false);
    const md = renderDiffMarkdown(d);
    expect(md).toContain('**Gate removed (confirm)**: 5.3 Every validation failure is resolved');
    expect(md).toContain('| 1.1 | check | A new first step |');
  });

  it('reports a step that changes place among the steps around it as moved, once', () => {
    const after = loadBundledRunbook();
    const post = phase(after, 'post-installation');
    const [a, b] = [post.steps.findIndex((s) => s.id === 'update-storage-pool'), post.steps.findIndex((s) => s.id === 'update-functional-level')];
    [post.steps[a], post.steps[b]] = [post.steps[b]!, post.steps[a]!];
    const p = plan(diffRunbooks(loadBundledRunbook(), after), 'offline');
    expect(p.stepsMoved).toHaveLength(1);
    expect(p.stepsAdded).toEqual([]);
    expect(p.stepsRemoved).toEqual([]);
    // Both are irreversible; the first one the operator meets is now the storage pool.
    expect(p.pointOfNoReturn.changed).toBe(true);
    expect(p.pointOfNoReturn.after!.stepId).toBe('update-storage-pool');
  });

  it('reports a step moved to another phase, not as removed and added', () => {
    const after = loadBundledRunbook();
    const moved = phase(after, 'validate-cluster').steps.pop()!;
    phase(after, 'prerequisites').steps.push(moved);
    const p = plan(diffRunbooks(loadBundledRunbook(), after), 'sconfig-manual');
    expect(p.stepsAdded).toEqual([]);
    expect(p.stepsRemoved).toEqual([]);
    expect(p.stepsMoved.map((m) => [m.after.stepId, m.betweenPhases, m.before.phaseId, m.after.phaseId])).toEqual([
      ['review-validation', true, 'validate-cluster', 'prerequisites'],
    ]);
  });

  it('flags scope, irreversibility and gate changes for the safety review, and diffs commands by line', () => {
    const after = loadBundledRunbook();
    delete step(after, 'post-installation', 'update-storage-pool').irreversible;
    step(after, 'sconfig-feature-update', 'drain-node').runOn = 'node';
    const confirm = step(after, 'validate-cluster', 'review-validation');
    if (confirm.kind === 'confirm') confirm.prompt = 'Go on?';
    const resume = step(after, 'sconfig-feature-update', 'resume-node');
    if (resume.kind === 'run') resume.command.text = resume.command.text.replace('Immediate', 'Policy');
    phase(after, 'sconfig-feature-update').parallel = { throttle: 4 };
    const d = diffRunbooks(loadBundledRunbook(), after);
    const p = plan(d, 'sconfig-manual');
    const areas = p.stepChanges.flatMap((c) => c.changes.map((f) => `${c.after.stepId}:${f.field}:${f.area}`));
    expect(areas).toEqual(expect.arrayContaining([
      'update-storage-pool:irreversible:irreversibility',
      'drain-node:runs on:scope',
      'review-validation:confirmation prompt:gate',
      'resume-node:command:command',
      'drain-node:phase scope:scope',
    ]));
    expect(p.phaseChanges.map((c) => c.changes.map((f) => f.area))).toEqual([['scope']]);
    const md = renderDiffMarkdown(d);
    expect(md).toContain('**Irreversibility changed**: 6.4 Update the storage pool, irreversible: `yes` → `no`');
    expect(md).toContain('**Scope changed**: 5.1 Drain the server');
    expect(md).toContain('```diff\n  - Resume-ClusterNode -Name $Node -Cluster $ClusterName -Failback Immediate\n  + Resume-ClusterNode -Name $Node -Cluster $ClusterName -Failback Policy\n  ```');
  });

  it('line diff lists removals before additions and keeps common lines', () => {
    expect(lineDiff('a\nb\nc', 'a\nx\nc')).toBe('  a\n- b\n+ x\n  c');
    expect(lineDiff('', 'new')).toBe('+ new');
  });

  it('keeps hostile titles inert in the Markdown', () => {
    const after = loadBundledRunbook();
    step(after, 'prerequisites', 'nodes-up').title = `${HOSTILE.link} ${HOSTILE.pipe} ${HOSTILE.script}`;
    phase(after, 'prerequisites').steps.push({ ...structuredClone(step(after, 'prerequisites', 'nodes-up')), id: 'hostile', title: `${HOSTILE.image} ${HOSTILE.pipe}` });
    const md = renderDiffMarkdown(diffRunbooks(loadBundledRunbook(), after));
    const tree = unified().use(remarkParse).use(remarkGfm).parse(md);
    const nodes: Nodes[] = [];
    const walk = (n: Nodes): void => {
      nodes.push(n);
      if ('children' in n) n.children.forEach((c) => walk(c as Nodes));
    };
    walk(tree);
    expect(nodes.filter((n) => ['link', 'image', 'html'].includes(n.type))).toEqual([]);
    for (const table of nodes.filter((n) => n.type === 'table')) {
      if (table.type !== 'table') continue;
      for (const row of table.children) expect(row.children).toHaveLength(table.children[0]!.children.length);
    }
  });
});

describe('runbookc diff', () => {
  const run = promisify(execFile);
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'runbookc-diff-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('prints the Markdown diff of two runbook files and exits 0', async () => {
    const changed = join(work, 'changed.yaml');
    const text = await readFile(BUNDLED_PATH, 'utf8');
    await writeFile(changed, text.replace('version: 1.0.0', 'version: 1.1.0').replace('-Failback Immediate', '-Failback Policy'));
    const { stdout, stderr } = await run(process.execPath, ['dist/cli.js', 'diff', BUNDLED_PATH, changed]);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^# Plan diff: /);
    expect(stdout).toContain('Version `1.0.0` → `1.1.0`.');
    expect(stdout).toContain('#### 5.6 Resume the server and fail its roles back');
  });

  it('reports positioned errors of a broken runbook and exits 1', async () => {
    const broken = join(work, 'broken.yaml');
    await writeFile(broken, 'runbook: [unclosed\n');
    const result = await run(process.execPath, ['dist/cli.js', 'diff', BUNDLED_PATH, broken]).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect('code' in result ? result.code : 0).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('broken.yaml:');
  });
});
