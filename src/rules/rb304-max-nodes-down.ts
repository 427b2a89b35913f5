/**
 * The cluster keeps its workloads only while no more servers are down than it tolerates
 * (`cluster.maxNodesDown`). That holds for servers the runbook drains and for CAU runs, whose
 * `MaxFailedNodes` lets that many servers fail (and stay down) before the run stops.
 */
import { findCmdlet } from './catalog/catalog.js';
import { defineRule } from './engine.js';
import { forEachCommand, forEachEvent, forEachStep, plural } from './helpers.js';
import { spanIn } from '../powershell/command-span.js';

export default defineRule({
  meta: {
    id: 'RB304',
    name: 'max-nodes-down',
    band: 'ordering',
    defaultSeverity: 'error',
    description: 'Require that no more servers are down at once than the runbook declares the cluster tolerates, including CAU MaxFailedNodes.',
  },
  messages: {
    tooMany:
      'Unexpected {{count}} out of service at once at `{{step}}`, expected at most {{max}} (`cluster.maxNodesDown`): bring the previous server back (`Resume-ClusterNode`) first',
    cauTooMany: 'Unexpected `MaxFailedNodes: {{value}}` in `{{step}}`, expected at most {{max}} (`cluster.maxNodesDown`)',
    cauMissing:
      'Unexpected CAU run `{{step}}` without `MaxFailedNodes`, expected it set to at most {{max}} (`cluster.maxNodesDown`): CAU defaults to about a third of the servers',
  },
  check({ runbook, traces }, context) {
    const max = runbook.cluster.maxNodesDown;
    // One finding per step: the first server over the limit, not every server after it.
    const reported = new Set<object>();
    for (const trace of traces) {
      forEachEvent(trace, (event) => {
        if (event.parallel || event.downDuring <= max || reported.has(event.step)) return;
        reported.add(event.step);
        const other = event.before.nodes.find((n, i) => n.status !== 'up' && !event.nodes.includes(i))?.downBy;
        const report: Parameters<typeof context.report>[0] = {
          messageId: 'tooMany',
          data: { count: plural(event.downDuring, 'server'), step: event.step.id, max },
          span: event.applied[0]?.effect.span ?? event.step.span,
          step: event.step,
        };
        if (other) report.related = { message: `Another server was taken down here (\`${other.id}\`) and is still down`, span: other.span };
        context.report(report);
      });
    }
    forEachStep(runbook, (entry) => {
      const { step } = entry;
      if (step.kind === 'cau' && step.action === 'run') {
        const option = step.options.find((o) => o.name === 'MaxFailedNodes');
        if (!option) context.report({ messageId: 'cauMissing', data: { step: step.id, max }, span: step.span, step });
        else if (typeof option.value === 'number' && option.value > max) context.report({ messageId: 'cauTooMany', data: { step: step.id, value: option.value, max }, span: step.span, step });
      }
      forEachCommand(entry, (command, checked) => {
        for (const cmd of checked.parsed.commands) {
          if (findCmdlet(cmd.name)?.name !== 'Invoke-CauRun') continue;
          const i = cmd.elements.findIndex((e) => e.kind === 'parameter' && 'maxfailednodes'.startsWith(e.name.toLowerCase()) && e.name.length >= 4);
          const el = cmd.elements[i];
          const value = el?.kind === 'parameter' ? (el.colonValue ?? (cmd.elements[i + 1]?.kind === 'argument' ? (cmd.elements[i + 1] as { value: { kind: string; text?: string } }).value : undefined)) : undefined;
          if (!el) context.report({ messageId: 'cauMissing', data: { step: step.id, max }, span: spanIn(command, cmd.nameRange), step });
          else if (value?.kind === 'number' && Number(value.text) > max) context.report({ messageId: 'cauTooMany', data: { step: step.id, value: Number(value.text), max }, span: spanIn(command, el.range), step });
        }
      });
    });
  },
});
