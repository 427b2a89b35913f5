const { parseMarkdownRunbook } = await import('./dist/parser/markdown.js');
const name = process.argv[2];
const cases = {
  deepList: () => '# T\n\n' + Array.from({ length: 2000 }, (_, i) => ' '.repeat(i * 2) + '- x').join('\n'),
  manyAnnotations: () => '---\nrunbook: a\nversion: 1.0.0\n---\n# T\n\nS\n\n## P\n<!-- id: p, scope: cluster -->\n\n' + Array.from({ length: 3000 }, (_, i) => `### S${i}\n<!-- id: s${i} -->\n\n\`\`\`powershell\nGet-Cluster\n\`\`\`\n`).join('\n'),
  billion: () => '---\na: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n---\n# T\n',
  annotationAlias: () => '# T\n\n## P\n<!-- {a: &a [x,x,x,x,x,x,x,x,x,x], b: [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]} -->\n',
  longLine: () => '# ' + 'x'.repeat(2_000_000) + '\n',
};
const text = cases[name]();
if (process.argv[3]) { const { parseMarkdownTree } = await import('./dist/parser/markdown.js'); const t0 = performance.now(); parseMarkdownTree(text); console.log('remark only', (performance.now() - t0).toFixed(0), 'ms'); }
const t = performance.now();
try {
  const r = parseMarkdownRunbook(text, 'h.md');
  console.log(name, (performance.now() - t).toFixed(0), 'ms', r.diagnostics.slice(0, 2).map((d) => d.ruleId + ' ' + d.message.slice(0, 80)));
} catch (e) {
  console.log(name, 'THREW', e.constructor.name, String(e.message).slice(0, 100));
}
