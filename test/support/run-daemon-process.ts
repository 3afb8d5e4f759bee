// Runs the real daemon entry point (node src/main.ts) as a child process, for start-up tests
// that need its exit code and exactly what it printed.
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface DaemonProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
  lines: Record<string, unknown>[];
}

const MAIN = path.resolve(import.meta.dirname, '../../src/main.ts');

export function runDaemonProcess(
  env: Record<string, string>,
  timeoutMs = 15_000,
): Promise<DaemonProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`daemon did not exit within ${timeoutMs} ms; stdout: ${stdout}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const lines = stdout
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => {
          try {
            return JSON.parse(line) as Record<string, unknown>;
          } catch {
            return { unparsed: line };
          }
        });
      resolve({ code, stdout, stderr, lines });
    });
  });
}
