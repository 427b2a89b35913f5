/**
 * A step of a per-node phase that captures a value captures it on every server in turn, into one
 * variable: on the next server the value is replaced. Read later in the same pass over a server,
 * it is that server's value. Read anywhere else (a cluster step after the loop, or a later per-node
 * phase), it holds the value of the last server the loop reached, whatever `$Node` is there:
 * `-ge $BuildBefore` in a second per-node phase compares every server with the last one.
 *
 * Judged on every path the script can take, as RB511 judges whether a capture is set at all. A
 * phase that runs its servers at once (`parallel`) captures the output of all of them together,
 * and is not reported.
 */
import type { Step } from '../model/runbook.js';
import { variablesOf } from './commands/variables.js';
import { defineRule } from './engine.js';
import { forEachCaptureRead, forEachCommand, forEachStep, isRemote, type CaptureRead } from './helpers.js';
import { spanIn } from '../powershell/command-span.js';

export default defineRule({
  meta: {
    id: 'RB512',
    name: 'per-node-capture',
    band: 'commands',
    defaultSeverity: 'warning',
    description:
      'Warn when a value captured on each server of a per-node phase is read outside that pass over the server: there it holds the value of the last server only.',
  },
  messages: {
    lastServer:
      'Unexpected `${{name}}` in step `{{step}}`: step `{{capturedBy}}` captures it on each server of phase `{{phase}}` in turn, so here it holds the value of the last server only; expected it read in phase `{{phase}}` after that step (the same server\'s value), or captured in a phase that is not per-node',
  },
  check({ runbook, traces }, context) {
    const captureNames = new Set<string>();
    forEachStep(runbook, ({ step, phase }) => {
      if (step.capture && phase.scope === 'each-node' && !phase.parallel) captureNames.add(step.capture.toLowerCase());
    });
    if (captureNames.size === 0) return;
    /** Reads, by local commands, of a name a per-node step captures (no parameter or other step has that name). */
    const reads = new Map<Step, CaptureRead[]>();
    forEachStep(runbook, (entry) =>
      forEachCommand(entry, (command, checked) => {
        if (isRemote(entry.step, command)) return;
        for (const { name, use } of variablesOf(checked.parsed).reads) {
          if (!captureNames.has(name)) continue;
          let list = reads.get(entry.step);
          if (!list) reads.set(entry.step, (list = []));
          list.push({ name, use, command });
        }
      }),
    );
    const reported = new Set<CaptureRead>();
    forEachCaptureRead(traces, reads, (read, event, capturedAt) => {
      // Captured in a one-at-a-time loop (its events carry the server), and read outside that phase.
      if (!capturedAt || capturedAt.loopNode === undefined || capturedAt.phase === event.phase || reported.has(read)) return;
      reported.add(read);
      context.report({
        messageId: 'lastServer',
        data: { name: read.use.name, step: event.step.id, capturedBy: capturedAt.step.id, phase: capturedAt.phase.id },
        span: spanIn(read.command, read.use.range),
        step: event.step,
      });
    });
  },
});
