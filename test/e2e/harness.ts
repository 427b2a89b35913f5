/**
 * End-to-end harness: builds the bundled runbook with the project's own pipeline, then runs a
 * variant's script in real PowerShell against the simulated cluster (test/powershell/SimCluster),
 * one pwsh process per scenario, and returns the final state, the call log and the operator
 * transcript for the tests to assert on. See docs/simulated-cluster.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRunbookFile } from '../../src/compile.js';
import { hasErrors } from '../../src/diagnostics.js';
import { scriptPath } from '../../src/emitters/layout.js';
import { variantsOf } from '../../src/model/plan.js';
import type { Runbook } from '../../src/model/runbook.js';

const ROOT = join(import.meta.dirname, '..', '..');
export const BUNDLED_RUNBOOK = join(ROOT, 'runbooks', 'azure-stack-hci-22h2-to-23h2.yaml');
const RUNNER = join(import.meta.dirname, 'run-scenario.ps1');

export const CLUSTER = 'hci-cluster1';
export const POOL = 'S2D on hci-cluster1';
export const TARGET_BUILD = 25398;
export const SOURCE_BUILD = 20349;
/** Cmdlets whose effect cannot be undone (the runbook's irreversible steps). */
export const IRREVERSIBLE_CMDLETS = ['Update-ClusterFunctionalLevel', 'Update-StoragePool', 'Update-VMVersion'];

export interface Built {
  runbook: Runbook;
  /** Variant id -> absolute path of its generated script (profiles next to it). */
  scripts: Record<string, string>;
  /** Step id -> what the operator is asked at it: manual (done), confirm (yes), gate (cluster name). */
  stepKinds: Record<string, 'manual' | 'confirm' | 'gate'>;
}

/** Builds every variant of the bundled runbook into a scratch folder, as `runbookc build` does. */
export async function buildBundledRunbook(): Promise<Built> {
  const out = mkdtempSync(join(tmpdir(), 'runbookc-e2e-build-'));
  const { runbook, diagnostics, written } = await buildRunbookFile(BUNDLED_RUNBOOK, { outDir: out });
  if (!runbook || hasErrors(diagnostics)) {
    throw new Error(`the bundled runbook does not build:\n${diagnostics.map((d) => JSON.stringify(d)).join('\n')}`);
  }
  const scripts: Record<string, string> = {};
  for (const variant of variantsOf(runbook)) {
    const path = scriptPath(runbook, variant);
    if (!written.includes(path)) throw new Error(`the build wrote no script for variant ${variant.id}`);
    scripts[variant.id] = join(out, path);
  }
  const stepKinds: Built['stepKinds'] = {};
  for (const phase of runbook.phases) {
    for (const step of phase.steps) {
      if (step.irreversible) stepKinds[step.id] = 'gate';
      else if (step.kind === 'manual' || step.kind === 'confirm') stepKinds[step.id] = step.kind;
    }
  }
  return { runbook, scripts, stepKinds };
}

export interface Scenario {
  nodeCount: number;
  /** Polls of Get-StorageJob a repair job stays Running after a node returns. */
  storageJobPolls?: number;
  /** False for a cluster that is already fully patched (CAU's Windows Update run restarts nothing). */
  qualityUpdatesPending?: boolean;
  /** Step ids whose confirm or gate prompt the operator refuses. */
  declineGate?: string[];
  /** Nodes that never come back from a restart. */
  neverReturn?: string[];
  /** Nodes whose drain cannot finish: a VM role stays on them and their DrainStatus ends Failed. */
  drainNeverFinishes?: string[];
  storageJobsNeverFinish?: boolean;
  /** Nodes on which a CAU run fails. */
  cauFailNodes?: string[];
  scriptParameters?: Record<string, string | number | boolean>;
  /** Azure registration of the cluster as Get-AzureStackHCI reports it (default `Registered`). */
  registrationStatus?: string;
  /** Whether the machine running the script has the Failover Clustering tools (default true). */
  failoverClustersToolsInstalled?: boolean;
  /** Runs of the same script with the same journal after the first, each after repairing these nodes. */
  reruns?: Array<{ recoverNodes: string[] }>;
}

export interface LogEntry {
  seq: number;
  cmdlet: string;
  target: string;
  parameters: Record<string, string>;
  outcome: string;
  source: string;
  context: string;
  clusterRunning: boolean;
  otherNodesNotUp: string[];
  storageJobsRunning: number;
  functionalLevel: number;
  clockSeconds: number;
}

export interface SimNode {
  name: string;
  build: number;
  state: 'Up' | 'Paused' | 'Down';
  osUp: boolean;
  paused: boolean;
  clusSvcStartType: string;
  clusSvcRunning: boolean;
  reboots: number;
}

export interface SimResult {
  state: {
    cluster: { name: string; running: boolean; functionalLevel: number; functionalLevelRaises: number };
    nodes: SimNode[];
    pool: { friendlyName: string; version: number; updates: number; healthStatus: string };
    virtualDisks: Array<{ friendlyName: string; csvOnline: boolean; healthStatus: string }>;
    storageJobs: Array<{ name: string; jobState: string; node: string }>;
    groups: Array<{ name: string; ownerNode: string; state: string; groupType: string }>;
    vms: Array<{ name: string; state: string; version: string; host: string }>;
    cauRuns: Array<{ status: string; reason: string | null; nodeResults: Array<{ node: string; status: string }> }>;
    clockSeconds: number;
    violations: string[];
  };
  log: LogEntry[];
  operator: Array<{ prompt: string; step: string | null; node: string | null; kind: string | null; answer: string }>;
  /** The last run's failure message (null when it completed). */
  failure: string | null;
  /** Every run's failure message, first run first. */
  failures: Array<string | null>;
  /** The last run's exit code (what pwsh -File exits with): 0 completed, 1 a step failed, 2 declined, 3 refused. */
  exitCode: number | null;
  /** Every run's exit code, first run first. */
  exitCodes: Array<number | null>;
}

export interface Run extends SimResult {
  stdout: string;
  stderr: string;
  status: number | null;
}

export function nodeNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `NODE${i + 1}`);
}

/**
 * Writes `scenario` to a fresh folder, runs `runner` (a .ps1 next to this file) on `script` in its
 * own pwsh process, and reads the JSON result the runner writes.
 */
export function runPwshRunner<T>(
  pwsh: string,
  runner: string,
  script: string,
  scenario: object,
  limits: { timeoutMs: number; maxBuffer: number },
): T & { stdout: string; stderr: string; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'runbookc-e2e-'));
  const scenarioPath = join(dir, 'scenario.json');
  const resultPath = join(dir, 'result.json');
  writeFileSync(scenarioPath, JSON.stringify(scenario));
  const r = spawnSync(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', runner, '-ScriptPath', script, '-ScenarioPath', scenarioPath, '-ResultPath', resultPath], {
    encoding: 'utf8',
    maxBuffer: limits.maxBuffer,
    timeout: limits.timeoutMs,
    env: { ...process.env, NO_COLOR: '1', TERM: 'dumb' },
  });
  if (r.error) throw r.error;
  let result: T;
  try {
    result = JSON.parse(readFileSync(resultPath, 'utf8')) as T;
  } catch {
    throw new Error(`the runner wrote no result (pwsh exit ${r.status}).\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
  return { ...result, stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** Runs one variant's script against a fresh simulated cluster in its own pwsh process. */
export function runScenario(pwsh: string, built: Built, variant: string, scenario: Scenario): Run {
  const script = built.scripts[variant];
  if (!script) throw new Error(`no script was built for variant ${variant}`);
  return runPwshRunner<SimResult>(
    pwsh,
    RUNNER,
    script,
    {
      clusterName: CLUSTER,
      storageJobPolls: 3,
      qualityUpdatesPending: true,
      declineGate: [],
      neverReturn: [],
      drainNeverFinishes: [],
      storageJobsNeverFinish: false,
      cauFailNodes: [],
      reruns: [],
      ...scenario,
      stepKinds: built.stepKinds,
      answers: [],
      scriptParameters: { ClusterName: CLUSTER, StoragePoolName: POOL, ...scenario.scriptParameters },
    },
    { timeoutMs: 180_000, maxBuffer: 64 * 1024 * 1024 },
  );
}

/** Log entries of these cmdlets (any outcome, any source). */
export function calls(run: Run, ...cmdlets: string[]): LogEntry[] {
  return run.log.filter((e) => cmdlets.includes(e.cmdlet));
}

/** Drains made while another node was not Up or storage was still being repaired. */
export function unsafeDrains(run: Run): LogEntry[] {
  return calls(run, 'Suspend-ClusterNode').filter((e) => e.outcome === 'ok' && (e.otherNodesNotUp.length > 0 || e.storageJobsRunning > 0));
}

/** A short account of a run for failure messages. */
export function describeRun(run: Run): string {
  const tail = run.stdout.split('\n').slice(-40).join('\n');
  return `failure: ${run.failure} (exit code ${run.exitCode})\nviolations: ${run.state.violations.join('; ')}\n--- last output ---\n${tail}\n--- stderr ---\n${run.stderr}`;
}
