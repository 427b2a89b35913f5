import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clixmlHashtable, clixmlText, durationFromClock } from '../../src/emitters/cau-profile/clixml.js';
import { emitCauProfiles, PROFILE_CMDLET, PROFILE_OPTIONS } from '../../src/emitters/cau-profile/index.js';
import { loadRunbook } from '../../src/index.js';
import { planAll, type VariantPlan } from '../../src/model/plan.js';
import type { CauStep } from '../../src/model/runbook.js';
import cauCmdlets from '../fixtures/catalog-subset.json' with { type: 'json' };
import { everyKindRunbook, phase, runbook, step } from '../fixtures/ir-builder.js';
import { describeWithPwsh, lastJsonLine, runPwshFile } from '../powershell/pwsh.js';
import { standInFunction, type CatalogEntry } from '../powershell/stand-in.js';

const CATALOG = cauCmdlets as unknown as CatalogEntry[];
const BUNDLED = 'runbooks/azure-stack-hci-22h2-to-23h2.yaml';

/** .NET type each catalog type deserializes to from our profile, and the CLIXML element we write. */
const CATALOG_TYPE_TO_OPTION: Record<string, string> = { Int32: 'Int32', SwitchParameter: 'Switch', TimeSpan: 'TimeSpan', String: 'String', FailbackType: 'String', RebootType: 'String' };
const OPTION_TO_DOTNET: Record<string, string> = { Int32: 'System.Int32', Switch: 'System.Boolean', TimeSpan: 'System.TimeSpan', String: 'System.String' };

function catalogParameters(cmdlet: string): Map<string, string> {
  const entry = CATALOG.find((c) => c.name === cmdlet);
  if (!entry) throw new Error(`${cmdlet} missing from the catalog fixture`);
  const out = new Map<string, string>();
  for (const set of entry.parameterSets) for (const p of set.parameters) out.set(p.name, p.type);
  return out;
}

function singleCau(cau: CauStep): VariantPlan {
  return planAll(runbook([phase('p', 'cluster', [cau])]))[0]!;
}

describe('CLIXML writer', () => {
  it('escapes text the way PowerShell serializes it, keeping the file ASCII', () => {
    expect(clixmlText('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
    expect(clixmlText('x_x0041_ _X')).toBe('x_x005F_x0041_ _x005F_X');
    expect(clixmlText('\r\n\t\u0000\u0085\u007F')).toBe('_x000D__x000A__x0009__x0000__x0085__x007F_');
    expect(clixmlText('\uD800 \u{1F600}')).toBe('_xD800_ _xD83D__xDE00_');
    expect(clixmlText('caf\u00E9 \u2014')).toBe('caf&#x00E9; &#x2014;');
    expect(clixmlText('\uFFFE')).toBe('_xFFFE_');
  });

  it('converts hh:mm:ss to xs:duration like XmlConvert', () => {
    expect(durationFromClock('12:00:00')).toBe('PT12H');
    expect(durationFromClock('06:30:15')).toBe('PT6H30M15S');
    expect(durationFromClock('00:00:00')).toBe('PT0S');
    expect(durationFromClock('36:00:00')).toBe('P1DT12H');
    expect(durationFromClock('48:00:00')).toBe('P2D');
    expect(() => durationFromClock('1:2')).toThrow(/expected hh:mm:ss/);
  });

  it('rejects keys that differ only in case', () => {
    expect(() => clixmlHashtable([['A', { kind: 'I32', value: 1 }], ['a', { kind: 'I32', value: 2 }]])).toThrow(/Duplicate/);
  });
});

describe('run profile emitter', () => {
  it('only offers options that are parameters of the cmdlet, with the catalog type', () => {
    for (const action of ['run', 'scan'] as const) {
      const params = catalogParameters(PROFILE_CMDLET[action]);
      for (const [name, type] of Object.entries(PROFILE_OPTIONS[action])) {
        expect(params.has(name), `${PROFILE_CMDLET[action]} -${name}`).toBe(true);
        expect(CATALOG_TYPE_TO_OPTION[params.get(name)!], `${PROFILE_CMDLET[action]} -${name} type`).toBe(type);
      }
      // A profile never carries what the script supplies per run.
      for (const perRun of ['ClusterName', 'Credential', 'Force', 'WhatIf', 'Confirm']) {
        expect(Object.keys(PROFILE_OPTIONS[action])).not.toContain(perRun);
      }
    }
  });

  it('writes one profile per cau step, at the layout path', () => {
    const files = planAll(everyKindRunbook()).flatMap(emitCauProfiles);
    expect(files.map((f) => f.path)).toEqual(['fixture/default/profiles/cluster-work.scan.xml', 'fixture/default/profiles/cluster-work.run.xml']);
    for (const f of files) expect(String(f.content)).toMatch(/^[\x0A\x20-\x7E]*$/);
  });

  it('writes typed values: String[] plug-ins, Hashtable[] arguments, I32, B, TS', () => {
    const [file] = emitCauProfiles(
      singleCau(
        step.cau('run', 'run', {
          plugins: [{ name: 'Microsoft.RollingUpgradePlugin', arguments: [{ name: 'WuConnected', value: 'true' }] }],
          options: [
            { name: 'MaxFailedNodes', value: 0 },
            { name: 'RequireAllNodesOnline', value: true },
            { name: 'StopAfter', value: '12:00:00' },
            { name: 'PreUpdateScript', value: '\\\\share\\cau\\pre & <post>.ps1' },
          ],
        }),
      ),
    );
    const xml = String(file!.content);
    expect(xml).toContain('<T>System.String[]</T>');
    expect(xml).toContain('<T>System.Collections.Hashtable[]</T>');
    expect(xml).toContain('<S N="Key">MaxFailedNodes</S>\n        <I32 N="Value">0</I32>');
    expect(xml).toContain('<B N="Value">true</B>');
    expect(xml).toContain('<TS N="Value">PT12H</TS>');
    expect(xml).toContain('<S N="Value">\\\\share\\cau\\pre &amp; &lt;post&gt;.ps1</S>');
    expect(xml).toContain('<TNRef RefId="0" />');
  });

  it('omits CauPluginArguments when no plug-in takes arguments', () => {
    const [file] = emitCauProfiles(singleCau(step.cau('scan', 'scan')));
    expect(String(file!.content)).not.toContain('CauPluginArguments');
  });

  it('rejects options the cmdlet does not have, and values of the wrong type', () => {
    expect(() => emitCauProfiles(singleCau(step.cau('s', 'scan', { options: [{ name: 'MaxFailedNodes', value: 1 }] })))).toThrow(
      /Unexpected CAU option `MaxFailedNodes` for Invoke-CauScan, expected one of/,
    );
    expect(() => emitCauProfiles(singleCau(step.cau('r', 'run', { options: [{ name: 'ClusterName', value: 'x' }] })))).toThrow(/Unexpected CAU option `ClusterName`/);
    expect(() => emitCauProfiles(singleCau(step.cau('r', 'run', { options: [{ name: 'MaxFailedNodes', value: '1' }] })))).toThrow(
      /Unexpected value `"1"` for CAU option `MaxFailedNodes`, expected an integer/,
    );
    expect(() => emitCauProfiles(singleCau(step.cau('r', 'run', { options: [{ name: 'RequireAllNodesOnline', value: 1 }] })))).toThrow(/expected true or false/);
    expect(() => emitCauProfiles(singleCau(step.cau('r', 'run', { options: [{ name: 'StopAfter', value: 720 }] })))).toThrow(/expected a duration/);
  });

  it('is deterministic', async () => {
    const a = planAll(everyKindRunbook()).flatMap(emitCauProfiles);
    const b = planAll(everyKindRunbook()).flatMap(emitCauProfiles);
    expect(a).toEqual(b);
  });
});

describeWithPwsh('run profiles in PowerShell', (pwsh) => {
  const dir = mkdtempSync(join(tmpdir(), 'runbookc-profiles-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  interface KeyReport {
    type: string;
    value: string;
    elements: string[];
    entries: Array<{ keys: string[]; types: string[]; units: number[][] }>;
  }
  interface Report {
    file: string;
    type: string;
    keys: Record<string, KeyReport>;
    bound: string[];
    bindError: string;
  }

  it('round-trip through Import-Clixml into typed hashtables that bind to Invoke-CauRun / Invoke-CauScan', async () => {
    const { runbook: bundled, diagnostics } = await loadRunbook(BUNDLED);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const tricky = step.cau('tricky', 'run', {
      plugins: [
        { name: 'Microsoft.HotfixPlugin', arguments: [{ name: 'HotfixRootFolderPath', value: "\\\\srv\\it's <&> _x0041_ caf\u00E9\r\n\t\u0000 \uD800" }] },
        { name: 'Microsoft.WindowsUpdatePlugin', arguments: [] },
      ],
      options: [
        { name: 'MaxRetriesPerNode', value: 64 },
        { name: 'WarnAfter', value: '36:30:00' },
        { name: 'FailbackMode', value: 'Immediate' },
        { name: 'RebootMode', value: 'FullReboot' },
        { name: 'EnableFirewallRules', value: false },
      ],
    });
    const plans = [...planAll(bundled!), ...planAll(everyKindRunbook()), singleCau(tricky)];
    const manifest: Array<{ file: string; cmdlet: string }> = [];
    const steps = new Map<string, CauStep>();
    plans.forEach((plan, i) => {
      for (const f of emitCauProfiles(plan)) {
        const file = join(dir, `${i}-${f.path.replaceAll('/', '_')}`);
        writeFileSync(file, f.content);
        const cau = plan.phases.flatMap((p) => p.steps).find((s) => s.kind === 'cau' && f.path.endsWith(`.${s.id}.xml`)) as CauStep;
        steps.set(file, cau);
        manifest.push({ file, cmdlet: PROFILE_CMDLET[cau.action] });
      }
    });
    expect(manifest.length).toBeGreaterThanOrEqual(8);
    const standIns = join(dir, 'stand-ins.ps1');
    writeFileSync(standIns, CATALOG.filter((c) => c.name.startsWith('Invoke-Cau')).map(standInFunction).join('\n\n') + '\n');
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const result = runPwshFile(pwsh, 'test/powershell/check-profiles.ps1', ['-StandInPath', standIns, '-ManifestPath', join(dir, 'manifest.json')]);
    const reports = lastJsonLine<Report[]>(result);
    expect(reports).toHaveLength(manifest.length);

    for (const report of reports) {
      const cau = steps.get(report.file)!;
      const cmdlet = PROFILE_CMDLET[cau.action];
      const params = catalogParameters(cmdlet);
      const label = `${report.file} (${cmdlet})`;
      expect(report.type, label).toBe('System.Collections.Hashtable');
      expect(report.bindError, label).toBe('');
      for (const [key, info] of Object.entries(report.keys)) {
        expect(params.has(key), `${label}: key ${key} is a parameter of ${cmdlet}`).toBe(true);
        expect(report.bound, `${label}: ${key} bound`).toContain(key);
        const catalogType = params.get(key)!;
        if (catalogType === 'String[]') {
          expect(info.elements.every((t) => t === 'System.String') && info.elements.length > 0, `${label}: ${key} holds strings`).toBe(true);
        } else if (catalogType === 'Hashtable[]') {
          expect(info.elements.every((t) => t === 'System.Collections.Hashtable'), `${label}: ${key} holds hashtables`).toBe(true);
          for (const entry of info.entries) expect(entry.types.every((t) => t === 'System.String'), `${label}: plug-in arguments are strings`).toBe(true);
        } else {
          expect(info.type, `${label}: ${key} type`).toBe(OPTION_TO_DOTNET[CATALOG_TYPE_TO_OPTION[catalogType]!]);
        }
      }
      // Values arrive as written in the runbook.
      expect(report.keys.CauPluginName!.elements.length).toBe(cau.plugins.length);
      for (const option of cau.options) {
        const got = report.keys[option.name]!.value;
        if (typeof option.value === 'boolean') expect(got, `${label}: ${option.name}`).toBe(option.value ? 'True' : 'False');
        else if (typeof option.value === 'number') expect(got, `${label}: ${option.name}`).toBe(String(option.value));
        else if (/^\d+:\d\d:\d\d$/.test(option.value)) expect(got, `${label}: ${option.name}`).toBe(option.value === '36:30:00' ? '1.12:30:00' : option.value);
        else expect(got, `${label}: ${option.name}`).toBe(option.value);
      }
    }
    const trickyReport = reports.find((r) => steps.get(r.file) === tricky)!;
    const sent = tricky.plugins[0]!.arguments[0]!.value;
    expect(trickyReport.keys.CauPluginArguments!.entries[0]!.units[0]).toEqual(Array.from({ length: sent.length }, (_, i) => sent.charCodeAt(i)));
    expect(trickyReport.keys.CauPluginArguments!.entries).toHaveLength(2);
    expect(readFileSync(trickyReport.file, 'latin1')).toMatch(/^[\x0A\x20-\x7E]*$/);
  });
});
