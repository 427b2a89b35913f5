/** IR -> a YAML runbook, in the layout of the bundled runbooks. */
import { Document, isMap, isSeq, type Node as YamlNode } from 'yaml';
import type { Runbook } from '../model/runbook.js';
import { documentFromRunbook } from './document.js';

export function runbookToYaml(runbook: Runbook): string {
  const doc = new Document(documentFromRunbook(runbook));
  // Blank lines between the top-level sections and between phases, as a person would write them.
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      const key = pair.key as YamlNode & { value?: unknown };
      if (['cluster', 'parameters', 'variants', 'phases'].includes(String(key.value))) key.spaceBefore = true;
      if (String(key.value) === 'phases' && isSeq(pair.value)) {
        pair.value.items.forEach((item, i) => {
          if (i > 0) (item as YamlNode).spaceBefore = true;
        });
      }
    }
  }
  return doc.toString({ lineWidth: 110, minContentWidth: 40, blockQuote: 'literal' });
}
