import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/config/content-paths.ts';

export interface PelitaProcess {
  child: ChildProcess;
  /** The HTTP port, for a gateway. */
  port: number | undefined;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Everything it wrote, for a failing test's message. */
  output(): string;
}

/** The flags bin/pelita.mjs's first line gives Node: the harness runs Pelita as `npx pelita` does. */
export const PELITA_NODE_FLAGS: string[] = (() => {
  const shebang = readFileSync(path.join(PACKAGE_ROOT, 'bin', 'pelita.mjs'), 'utf8').split('\n')[0] ?? '';
  const match = /^#!\/usr\/bin\/env -S node(.*)$/.exec(shebang);
  if (!match) throw new Error(`bin/pelita.mjs does not start with "#!/usr/bin/env -S node": ${shebang}`);
  return match[1]!.trim().split(/\s+/).filter(Boolean);
})();

/**
 * `pelita start --role <role>` as its own operating-system process, the way an operator
 * runs it, on the test's Redis. Resolves once it logs "Pelita is running".
 */
export async function spawnPelita(
  role: 'gateway' | 'worker' | 'all',
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<PelitaProcess> {
  const child = spawn(process.execPath, [...PELITA_NODE_FLAGS, path.join(PACKAGE_ROOT, 'bin', 'pelita.mjs'), 'start', '--role', role], {
    // As in startTestPelita: tests start conversations faster than the default pace allows.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      LOG_LEVEL: 'info',
      NEW_CONVERSATIONS_PER_MIN: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number | undefined>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pelita ${role} did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of output.split('\n')) {
        if (!line.includes('Pelita is running')) continue;
        clearTimeout(timer);
        const http = (JSON.parse(line) as { http?: string }).http ?? 'off';
        resolve(http === 'off' ? undefined : Number(http.split(':').at(-1)));
        return;
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`pelita ${role} exited with ${code} before it was running:\n${output}`));
    });
  });
  return { child, port, exited, output: () => output };
}
