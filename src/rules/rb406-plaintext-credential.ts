/**
 * Credentials reach a runbook only as a PSCredential: a `credential` parameter (prompted for, never
 * stored) or a secret store. A password written in a runbook ends up in the script, the checklist,
 * the repository and the transcript.
 */
import { findKnownName } from './catalog/catalog.js';
import { defineRule } from './engine.js';
import { forEachCommand, forEachStep } from './helpers.js';
import { spanIn } from '../powershell/command-span.js';

const SECRET_NAME = /(password|passwd|pwd|passphrase|secret|token|apikey)/i;
/** `SecretName`, `CredentialVault`, `TokenPath`: names of where a secret is kept, not secrets. */
const REFERENCE_NAME = /(name|id|path|vault|store|file|uri|url)$/i;
const isSecretName = (name: string) => SECRET_NAME.test(name) && !REFERENCE_NAME.test(name);

export default defineRule({
  meta: {
    id: 'RB406',
    name: 'plaintext-credential',
    band: 'safety',
    defaultSeverity: 'error',
    description: 'Disallow plain-text passwords and secrets; credentials come from a `credential` parameter (a prompt) or a secret store.',
  },
  messages: {
    plainText: 'Unexpected plain-text secret in {{where}}, expected a `credential` parameter (a PSCredential from a prompt) or a secret store such as `Get-Secret`',
    parameterType: 'Unexpected parameter `{{name}}` of type `{{type}}` for a secret, expected `type: credential` (a PSCredential, prompted for and never stored)',
  },
  check({ runbook }, context) {
    for (const p of runbook.parameters) {
      if ((isSecretName(p.name) || (/cred/i.test(p.name) && !REFERENCE_NAME.test(p.name))) && p.type !== 'credential' && p.type !== 'bool') {
        context.report({ messageId: 'parameterType', data: { name: p.name, type: p.type }, span: p.span });
      }
    }
    forEachStep(runbook, (entry) => {
      const { step } = entry;
      forEachCommand(entry, (command, { parsed }) => {
        for (const cmd of parsed.commands) {
          const name = findKnownName(cmd.name)?.name ?? cmd.name;
          if (name.toLowerCase() === 'convertto-securestring' && cmd.elements.some((e) => e.kind === 'parameter' && 'asplaintext'.startsWith(e.name.toLowerCase()) && e.name.length >= 3)) {
            context.report({ messageId: 'plainText', data: { where: '`ConvertTo-SecureString -AsPlainText`' }, span: spanIn(command, cmd.range), step });
            continue;
          }
          for (let i = 0; i < cmd.elements.length; i++) {
            const el = cmd.elements[i]!;
            if (el.kind !== 'parameter' || !isSecretName(el.name)) continue;
            const next = cmd.elements[i + 1];
            const value = el.colonValue ?? (next?.kind === 'argument' ? next.value : undefined);
            if (value && (value.kind === 'bareword' || (value.kind === 'string' && !value.expandable))) {
              context.report({ messageId: 'plainText', data: { where: `\`-${el.name}\`` }, span: spanIn(command, value.range), step });
            }
          }
        }
        // An assignment of a secret needs a secret's name in the text: most commands have none,
        // and are not searched for assignments.
        if (!SECRET_NAME.test(command.text)) return;
        for (const m of command.text.matchAll(/\$(\w*(?:password|passwd|pwd|passphrase|secret|token|apikey)\w*)\s*=\s*['"\u2018\u2019\u201C\u201D]/gi)) {
          context.report({ messageId: 'plainText', data: { where: `\`$${m[1]}\`` }, span: spanIn(command, { start: m.index, end: m.index + m[0].length }), step });
        }
      });
      if (step.kind === 'cau') {
        for (const arg of step.plugins.flatMap((p) => p.arguments)) {
          if (isSecretName(arg.name)) context.report({ messageId: 'plainText', data: { where: `the plug-in argument \`${arg.name}\`` }, span: step.span, step });
        }
      }
    });
  },
});
