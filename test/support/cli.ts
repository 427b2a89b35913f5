/** Runs the built CLI (dist/cli.js) as a user would, and returns its exit code and output. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CLI = join(process.cwd(), 'dist/cli.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(options: { cwd?: string; env?: NodeJS.ProcessEnv }, ...args: string[]): Promise<CliRun> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: { ...process.env, NO_COLOR: '1', ...options.env },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
