/** Running the CLI as a user does (a child process through tsx), for the CLI tests. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'vitest';

const exec = promisify(execFile);

export async function coar(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return exec(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { maxBuffer: 1 << 24 });
}

/** Runs a command that must fail with exit code 2 (bad input); returns what it printed on stderr. */
export async function coarFails(args: string[]): Promise<string> {
  try {
    await coar(args);
  } catch (e) {
    const err = e as { code: number; stderr: string };
    expect(err.code).toBe(2);
    return err.stderr;
  }
  throw new Error('expected the command to fail');
}
