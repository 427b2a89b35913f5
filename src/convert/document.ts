/**
 * IR -> the runbook as plain data in the authoring shape (what the schema describes), the
 * inverse of IR building. Both serializers (YAML and Markdown) start from it, so that a runbook
 * converted either way says the same thing.
 *
 * Properties that hold their default value are left out, so a converted runbook is no noisier
 * than one written by hand. Key order is the order a reader expects, and is stable.
 */
import type { Parameter, Phase, Runbook, Step } from '../model/runbook.js';

export type PlainData = Record<string, unknown>;

export function documentFromRunbook(runbook: Runbook): PlainData {
  const data: PlainData = {
    runbook: runbook.id,
    title: runbook.title,
    version: runbook.version,
    summary: runbook.summary,
  };
  if (runbook.sourceDocument !== undefined) data.source = runbook.sourceDocument;
  if (runbook.draft) data.draft = true;
  data.cluster = { maxNodesDown: runbook.cluster.maxNodesDown };
  if (runbook.parameters.length > 0) data.parameters = Object.fromEntries(runbook.parameters.map((p) => [p.name, parameterData(p)]));
  if (runbook.variants.length > 0) {
    data.variants = Object.fromEntries(runbook.variants.map((v) => [v.id, v.description ? { title: v.title, description: v.description } : { title: v.title }]));
  }
  data.phases = runbook.phases.map(phaseData);
  return data;
}

function parameterData(p: Parameter): PlainData {
  const data: PlainData = { type: p.type };
  if (p.required) data.required = true;
  if (p.default !== undefined) data.default = p.default;
  if (p.allowed !== undefined) data.allowed = p.allowed;
  if (p.pattern !== undefined) data.pattern = p.pattern;
  if (p.minimum !== undefined) data.minimum = p.minimum;
  if (p.maximum !== undefined) data.maximum = p.maximum;
  data.description = p.description;
  return data;
}

function phaseData(phase: Phase): PlainData {
  const data: PlainData = { id: phase.id, title: phase.title, scope: phase.scope };
  if (phase.variants.length > 0) data.variants = phase.variants;
  if (phase.parallel) data.parallel = { throttle: phase.parallel.throttle };
  if (phase.description) data.description = phase.description;
  data.steps = phase.steps.map(stepData);
  return data;
}

function stepData(step: Step): PlainData {
  const data: PlainData = { id: step.id, title: step.title };
  if (step.description) data.description = step.description;
  if (step.variants.length > 0) data.variants = step.variants;
  if (step.runOn !== 'orchestrator') data.runOn = step.runOn;
  if (step.when !== undefined) data.when = step.when;
  if (step.reboots) data.reboots = true;
  if (step.irreversible) data.irreversible = { reason: step.irreversible.reason };
  switch (step.kind) {
    case 'run':
      data.run = step.command.text;
      break;
    case 'manual':
      data.manual = step.instructions;
      break;
    case 'wait':
      data.wait = step.until.text;
      data.intervalSeconds = step.intervalSeconds;
      data.onTimeout = step.onTimeout;
      break;
    case 'check':
      data.check = step.assert.text;
      data.failMessage = step.failMessage;
      break;
    case 'confirm':
      data.confirm = step.prompt;
      break;
    case 'cau': {
      // The authoring form has one plug-in per step; IR building always makes exactly one.
      const plugin = step.plugins[0]!;
      const cau: PlainData = { action: step.action, plugin: plugin.name };
      if (plugin.arguments.length > 0) cau.arguments = Object.fromEntries(plugin.arguments.map((a) => [a.name, a.value]));
      if (step.options.length > 0) cau.options = Object.fromEntries(step.options.map((o) => [o.name, o.value]));
      data.cau = cau;
      break;
    }
  }
  if (step.capture !== undefined) data.capture = step.capture;
  if (step.timeoutSeconds !== undefined) data.timeoutMinutes = step.timeoutSeconds / 60;
  if (step.probe) data.probe = step.probe.text;
  if (step.verify) data.verify = step.verify.text;
  if (step.effects.length > 0) data.effects = step.effects;
  if (step.retries > 0) data.retries = step.retries;
  if (step.record.length > 0) data.record = step.record;
  if (step.waivers.length > 0) data.waive = step.waivers.map((w) => ({ rule: w.rule, reason: w.reason }));
  return data;
}
