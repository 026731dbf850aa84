import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pingRedis } from './redis-connection.ts';

export interface PrivateRedisServer {
  url: string;
  stop(): Promise<void>;
}

/** Finds `name` on PATH, as a shell would. */
export function findOnPath(name: string, searchPath = process.env.PATH ?? ''): string | undefined {
  return searchPath
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, name))
    .find((candidate) => isExecutable(candidate));
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a redis-server that belongs to this process: loopback only, data on disk with
 * append-only persistence, stopped (and flushed) with the process.
 */
export async function startPrivateRedisServer(options: {
  binary: string;
  port: number;
  dataDir: string;
  startTimeoutMs?: number;
}): Promise<PrivateRedisServer> {
  mkdirSync(options.dataDir, { recursive: true });
  const child = spawn(
    options.binary,
    [
      '--port',
      String(options.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      path.resolve(options.dataDir),
      '--appendonly',
      'yes',
      '--save',
      '',
      '--daemonize',
      'no',
      '--protected-mode',
      'yes',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const url = `redis://127.0.0.1:${options.port}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + (options.startTimeoutMs ?? 5000);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    if ((await pingRedis(url, 250)).ok) return { url, stop: () => stopChild(child, exited) };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not start on port ${options.port}${stderr ? `: ${stderr.trim()}` : ''}`);
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null) return;
  // SIGTERM makes redis-server fsync the append-only file before it exits.
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
