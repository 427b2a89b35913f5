import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRunbook, runbookFromDocument } from '../../src/compile.js';
import { parseMarkdownRunbook } from '../../src/parser/markdown.js';

const fixture = (name: string) => `test/fixtures/markdown/${name}`;

function parse(text: string) {
  return parseMarkdownRunbook(text, 'inline.md');
}

const HEAD = '---\nrunbook: demo\nversion: 1.0.0\n---\n\n# Demo\n\nA demo.\n\n## Prepare\n<!-- id: prepare, scope: cluster -->\n\n';

describe('Markdown runbook diagnostics', () => {
  it('positions schema errors inside the front matter, annotations and yaml cau blocks', async () => {
    const { runbook, diagnostics } = await loadRunbook(fixture('schema-errors.md'));
    expect(runbook).toBeUndefined();
    const found = diagnostics.map((d) => [d.ruleId, d.line, d.column]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['RB204', 6, 11], // `type: text` in the front matter
        ['RB201', 15, 35], // `colour` inside the phase annotation
        ['RB204', 22, 9], // the plug-in name inside the `yaml cau` block
        ['RB206', 25, 1], // a step with no kind points at its heading
      ]),
    );
    expect(found).toHaveLength(4);
    for (const d of diagnostics) expect(d.file).toBe(fixture('schema-errors.md'));
  });

  it('reports a key named `__proto__` as an unknown property, as in a YAML runbook, wherever it is spelled', () => {
    const text = `---\nrunbook: demo\n__proto__: x\nversion: 1.0.0\n---\n\n# Demo\n\nA demo.\n\n## Prepare\n<!-- id: prepare, scope: cluster, __proto__: 1 -->\n\n### Look\n<!-- id: look -->\n\n\`\`\`powershell\nGet-ClusterNode\n\`\`\`\n`;
    const { document } = parse(text);
    const found = runbookFromDocument(document!).diagnostics.map((d) => [d.ruleId, d.line, d.column, /^Unexpected property `__proto__` in (the runbook|phase `prepare`),/.test(d.message)]);
    expect(found).toEqual([
      ['RB201', 3, 1, true],
      ['RB201', 12, 35, true],
    ]);
  });

  it('says how to write a missing or malformed property in Markdown, not as a YAML key', () => {
    const text = [
      '---', 'runbook: demo', 'version: 1.0', '---', '', '# Demo', '',
      '## Phase one', '<!-- scope: cluster -->', '',
      '### Check the nodes', '', '```powershell check', '$true', '```', '',
      '### Wait a while', '<!-- id: settle -->', '', '```powershell wait', '$true', '```', '',
      '### Only prose', '<!-- id: prose, reboots: yes -->', '', 'Nothing to run.', '',
    ].join('\n');
    const { document } = parse(text);
    const found = runbookFromDocument(document!)
      .diagnostics.sort((a, b) => a.line - b.line || a.column - b.column)
      .map((d) => [d.ruleId, d.line, d.column, d.message]);
    expect(found).toEqual([
      ['RB203', 3, 10, 'Unexpected integer `1` for `version`, expected a string (in quotes: YAML reads an unquoted number as a number, so `1.0` becomes `1`)'],
      // At the `#` heading's text, under which the paragraph goes.
      ['RB202', 6, 3, 'Missing property `summary` in the runbook, expected a paragraph right under the `#` heading that says what the runbook does'],
      ['RB202', 8, 1, 'Missing property `id` in phase #1 (`Phase one`), expected `id: phase-one` in the annotation right under its `##` heading (`<!-- id: phase-one -->`)'],
      ['RB202', 11, 1, 'Missing property `id` in step #1 (`Check the nodes`), expected `id: check-the-nodes` in the annotation right under its `###` heading (`<!-- id: check-the-nodes -->`)'],
      ['RB202', 17, 1, 'Missing property `timeoutMinutes` in step `settle`, expected how long to wait at most, such as `timeoutMinutes: 30` in the annotation under its `###` heading (a wait must end)'],
      [
        'RB206',
        24,
        1,
        'Unexpected shape of step `prose`: a step has exactly one of a ```powershell block (`run`), a numbered list (`manual`), a ```powershell wait block (`wait`), a ```powershell check block (`check`), a **Confirm:** paragraph (`confirm`), a ```yaml cau block (`cau`), found none',
      ],
      ['RB203', 25, 26, 'Unexpected string `yes` for `reboots`, expected true or false: write `true` (YAML 1.2 reads `yes` as a string)'],
    ]);
  });

  it('reports an annotation away from its heading, whose properties Markdown would make commentary', () => {
    const text = `${HEAD}### Look\n<!-- id: look -->\n\n\`\`\`powershell\nGet-ClusterNode\n\`\`\`\n\n#### Restart\n<!-- id: restart, reboots: true -->\n\n### Late\n\nProse first.\n\n<!--\nid: late\n-->\n\n\`\`\`powershell\nGet-Date\n\`\`\`\n\n<!-- Note: an ordinary comment -->\n<!-- review: check the command -->\n`;
    const { diagnostics } = parse(text);
    const found = diagnostics.filter((d) => d.ruleId === 'RB111').map((d) => [d.line, d.column]);
    // Under the `####` heading and below the step's prose; not the ordinary comment, not the review marker (RB114).
    expect(found).toEqual([
      [21, 1],
      [27, 1],
    ]);
    expect(diagnostics.find((d) => d.ruleId === 'RB111')!.message).toMatch(/^Unexpected annotation comment away from its heading, expected it right under the `##` phase or `###` step heading/);
  });

  it('names a code block of another language that a step has in place of its command', () => {
    const step = (id: string, body: string) => `### Step ${id}\n<!-- id: ${id} -->\n\n${body}\n`;
    const text = [
      HEAD,
      step('bash', '```bash\nsystemctl restart x\n```'),
      step('bare', '```\nGet-ClusterNode\n```'),
      // Sample output beside a command, or beside instructions, is commentary as before.
      step('with-command', '```powershell\nGet-ClusterNode\n```\n\n```output\nNODE1 Up\n```'),
      step('with-list', '1. Look at the console.\n\n```console\nPS> Get-ClusterNode\n```'),
    ].join('');
    const { diagnostics } = parse(text);
    expect(diagnostics.map((d) => [d.ruleId, d.line, d.column, d.message])).toEqual([
      [
        'RB113',
        16,
        1,
        "Unexpected ```bash block as the only command of step `bash`, which has no kind, expected a ```powershell block or another spelling of a step's kind (a block of another language, or of none, is commentary and never runs)",
      ],
      [
        'RB113',
        22,
        1,
        "Unexpected code block without a language as the only command of step `bare`, which has no kind, expected a ```powershell block or another spelling of a step's kind (a block of another language, or of none, is commentary and never runs)",
      ],
    ]);
  });

  it('reports Markdown structure mistakes where they are written', () => {
    const file = fixture('structure-errors.md');
    const { document, diagnostics } = parseMarkdownRunbook(readFileSync(file, 'utf8'), file);
    expect(document).toBeUndefined();
    const found = diagnostics.map((d) => [d.ruleId, d.line, d.column]);
    expect(found).toEqual([
      ['RB110', 10, 1], // a step before any phase
      ['RB110', 23, 1], // a second run block in one step
      ['RB113', 30, 1], // an unknown code block role
      ['RB111', 35, 20], // invalid YAML inside the annotation comment
      ['RB110', 48, 1], // **Record:** with no list under it
      ['RB113', 55, 4], // a fence that is never closed
    ]);
    const duplicate = diagnostics[1]!;
    expect(duplicate.related?.span.line).toBe(19);
    expect(diagnostics[2]!.message).toContain('`verfy`');
    expect(diagnostics[5]!.message).toMatch(/^Unexpected code fence without a closing/);
  });

  it('spells every kind of step and reads its properties', () => {
    const text =
      HEAD +
      [
        '### Drain',
        '<!-- id: drain, retries: 2, timeoutMinutes: 5, effects: [node.drain], waive: [{rule: RB301, reason: tested}] -->',
        '',
        'Moves the roles away.',
        '',
        'A second paragraph.',
        '',
        '> [!CAUTION]',
        '> Cannot be undone',
        '> at all.',
        '',
        '```pwsh',
        'Suspend-ClusterNode -Name n1',
        '```',
        '',
        'Commentary is not part of the runbook.',
        '',
        '```PowerShell verify',
        '$true',
        '```',
        '',
        '**Record:**',
        '',
        '- Time',
        '- [ ] Initials',
        '',
        '### Wait',
        '<!-- id: wait, timeoutMinutes: 10 -->',
        '',
        '```powershell wait',
        '$true',
        '```',
        '',
        '**On timeout:** Look at `Get-StorageJob`.',
        '',
        '### Ask',
        '<!-- id: ask -->',
        '',
        '**Confirm:** Ready?',
        '',
        '### Do by hand',
        '<!-- id: by-hand -->',
        '',
        '1. First,',
        '   still first.',
        '2. Second.',
        '',
      ].join('\n');
    const { document, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    const steps = (document!.data as { phases: Array<{ steps: unknown[] }> }).phases[0]!.steps;
    expect(steps).toEqual([
      {
        id: 'drain',
        retries: 2,
        timeoutMinutes: 5,
        effects: ['node.drain'],
        waive: [{ rule: 'RB301', reason: 'tested' }],
        title: 'Drain',
        description: 'Moves the roles away.\n\nA second paragraph.',
        irreversible: { reason: 'Cannot be undone at all.' },
        run: 'Suspend-ClusterNode -Name n1',
        verify: '$true',
        record: ['Time', 'Initials'],
      },
      { id: 'wait', timeoutMinutes: 10, title: 'Wait', wait: '$true', onTimeout: 'Look at `Get-StorageJob`.' },
      { id: 'ask', title: 'Ask', confirm: 'Ready?' },
      { id: 'by-hand', title: 'Do by hand', manual: ['First, still first.', 'Second.'] },
    ]);
    const lines = text.split('\n');
    const at = (path: Array<string | number>, part?: 'key' | 'value') => {
      const span = document!.locate(path, part);
      return lines[span.line - 1]!.slice(span.column - 1);
    };
    expect(at(['phases', 0, 'steps', 0, 'retries'], 'key')).toMatch(/^retries: 2/);
    expect(at(['phases', 0, 'steps', 0, 'waive', 0, 'reason'])).toMatch(/^tested/);
    expect(at(['phases', 0, 'steps', 0, 'irreversible', 'reason'])).toBe('Cannot be undone');
    expect(at(['phases', 0, 'steps', 3, 'manual', 1])).toBe('Second.');
    expect(at(['phases', 0, 'steps', 1, 'onTimeout'])).toBe('Look at `Get-StorageJob`.');
  });

  it('warns about review markers in a draft and refuses them once the draft flag is gone', () => {
    const body = '### Ask\n<!-- id: ask -->\n\n<!-- review: the document gives no command here -->\n**Confirm:** Ready?\n';
    const draft = parse(HEAD.replace('version: 1.0.0\n', 'version: 1.0.0\ndraft: true\n') + body);
    expect(draft.diagnostics.map((d) => [d.ruleId, d.severity, d.line])).toEqual([['RB114', 'warning', 17]]);
    expect(draft.document).toBeDefined();
    const final = parse(HEAD + body);
    expect(final.diagnostics.map((d) => [d.ruleId, d.severity, d.line])).toEqual([['RB114', 'error', 16]]);
    expect(final.diagnostics[0]!.message).toContain('the document gives no command here');
    expect(final.document).toBeUndefined();
  });

  it('warns about a PowerShell block outside any step, which would never run', () => {
    const { diagnostics } = parse(HEAD + '```powershell\nGet-Cluster\n```\n\n### Ask\n<!-- id: ask -->\n\n**Confirm:** Ready?\n');
    expect(diagnostics.map((d) => [d.ruleId, d.severity, d.line, d.column])).toEqual([['RB110', 'warning', 13, 1]]);
  });

  it('reports front matter that is not YAML at its line', () => {
    const { diagnostics } = parse('---\nrunbook: [demo\n---\n\n# Demo\n');
    expect(diagnostics[0]!.ruleId).toBe('RB112');
    expect(diagnostics[0]!.line).toBeGreaterThanOrEqual(2);
  });
});

describe('Markdown input limits', () => {
  it('refuses nesting that would take Markdown parsing minutes, quickly and with a position', () => {
    const deepList = '# T\n\n' + Array.from({ length: 2000 }, (_, i) => ' '.repeat(i * 2) + '- x').join('\n');
    const started = performance.now();
    const { document, diagnostics } = parse(deepList);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(document).toBeUndefined();
    expect(diagnostics.map((d) => [d.ruleId, d.line])).toEqual([['RB104', 68]]);
    const deepQuote = parse('# T\n\n' + '>'.repeat(65) + ' x\n');
    expect(deepQuote.diagnostics.map((d) => [d.ruleId, d.line])).toEqual([['RB104', 3]]);
  });

  it('names a quote left open in the front matter at the quote', () => {
    const { diagnostics } = parse('---\nrunbook: "demo\nversion: 1.0.0\n---\n\n# Demo\n');
    expect(diagnostics.map((d) => [d.ruleId, d.line, d.column, d.message])).toEqual([['RB112', 2, 10, 'Invalid YAML: Missing closing quote, expected `"` to end the value that starts here']]);
  });

  it('points at the second spelling of a key given twice in an annotation, in a YAML mapping or in braces', () => {
    const commentLine = HEAD.split('\n').length + 1;
    const oneLine = '<!-- id: one, retries: 1, id: two -->';
    expect(parse(`${HEAD}### Step\n${oneLine}\n`).diagnostics.map((d) => [d.ruleId, d.line, d.column])).toEqual([['RB111', commentLine, oneLine.indexOf('id: two') + 1]]);
    const braces = '<!-- id: one, parallel: { throttle: 1, throttle: 2 } -->';
    expect(parse(`${HEAD}### Step\n${braces}\n`).diagnostics.map((d) => [d.ruleId, d.line, d.column])).toEqual([['RB111', commentLine, braces.indexOf('throttle: 2') + 1]]);
  });

  it('refuses more aliases than a YAML runbook may use, in front matter and annotations', () => {
    const levels = (n: number) => ['a0: &a0 [x, x]', ...Array.from({ length: n }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}, *a${i}]`)];
    const tooMany = `---\n${levels(26).join('\n')}\n---\n# T\n`;
    expect(parse(tooMany).diagnostics.map((d) => [d.ruleId, d.message])).toEqual([['RB112', 'Unexpected more than 50 aliases of collections, expected at most 50']]);
    const annotation = `# T\n\n## P\n<!--\n${levels(26).join('\n')}\n-->\n`;
    expect(parse(annotation).diagnostics.map((d) => d.ruleId)).toEqual(['RB111']);
  });

  it('reads front matter with aliases without expanding them (48 aliases standing for 2^24 values)', () => {
    const levels = ['a0: &a0 [x, x]', ...Array.from({ length: 24 }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}, *a${i}]`)];
    const { diagnostics } = parse(`---\nrunbook: r\n${levels.join('\n')}\n---\n# T\n`);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('rule diagnostics inside fenced commands', () => {
  it('point at the token in the .md file', async () => {
    const { checkRunbook } = await import('../../src/compile.js');
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'runbookc-md-lines-'));
    try {
      const file = join(dir, 'cmd.md');
      writeFileSync(
        file,
        '---\nrunbook: demo\nversion: 1.0.0\nparameters:\n  ClusterName: {type: string, required: true, description: The cluster.}\n---\n\n# Demo\n\nA demo.\n\n## Look\n<!-- id: look, scope: cluster -->\n\n### Read the storage jobs\n<!-- id: jobs -->\n\n```powershell\nGet-ClusterNode -Cluster $ClusterName\n  Get-Storage-Job -CimSession $ClusterName\n```\n',
      );
      const { diagnostics } = await checkRunbook(file);
      const misspelled = diagnostics.find((d) => /Get-Storage-Job/.test(d.message))!;
      expect([misspelled.line, misspelled.column]).toEqual([20, 3]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
