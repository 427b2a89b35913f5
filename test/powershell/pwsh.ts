/**
 * Finds PowerShell 7 for the tests that run generated scripts through PowerShell's own parser.
 *
 * Order: $RUNBOOKC_PWSH, `pwsh` on PATH, ~/.dotnet/tools/pwsh. Without it, the PowerShell tests are
 * skipped with the install command, except under CI=true, where they fail: CI must never pass
 * because a check did not run.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';

export const PWSH_INSTALL_COMMAND = 'dotnet tool install --global PowerShell --version 7.6.9';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findPwsh(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env.RUNBOOKC_PWSH;
  if (fromEnv) return executable(fromEnv) ? fromEnv : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, 'pwsh'))) return join(dir, 'pwsh');
  }
  const dotnetTool = join(homedir(), '.dotnet', 'tools', 'pwsh');
  return executable(dotnetTool) ? dotnetTool : undefined;
}

export const PWSH = findPwsh();

export const PWSH_MISSING_MESSAGE =
  `PowerShell 7 (pwsh) is missing: not in $RUNBOOKC_PWSH, on PATH or at ~/.dotnet/tools/pwsh. ` +
  `Install it with: ${PWSH_INSTALL_COMMAND}`;

/**
 * `describe` for tests that need pwsh: runs them when pwsh is there; otherwise skips them with the
 * install command, or (CI=true) replaces them with one failing test.
 */
export function describeWithPwsh(name: string, body: (pwsh: string) => void): void {
  if (PWSH) {
    describe(name, () => body(PWSH));
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs PowerShell 7', () => {
        throw new Error(PWSH_MISSING_MESSAGE);
      });
    });
  } else {
    console.warn(`${name}: skipped. ${PWSH_MISSING_MESSAGE}`);
    describe.skip(name, () => body(''));
  }
}

export interface PwshResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a .ps1 file with arguments; one pwsh start per call, so batch the work into one script. */
export function runPwshFile(pwsh: string, scriptPath: string, args: readonly string[] = []): PwshResult {
  const r = spawnSync(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', scriptPath, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a PowerShell script given as text (written to a temporary file). */
export function runPwshScript(pwsh: string, scriptText: string, args: readonly string[] = []): PwshResult {
  const dir = mkdtempSync(join(tmpdir(), 'runbookc-pwsh-'));
  try {
    const file = join(dir, 'script.ps1');
    writeFileSync(file, scriptText, 'utf8');
    return runPwshFile(pwsh, file, args);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Parses the last line of stdout as JSON (the harness scripts end with one JSON line). */
export function lastJsonLine<T>(result: PwshResult): T {
  const lines = result.stdout.trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(`pwsh did not print JSON (status ${result.status}).\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}
