import type { Role } from '../app/pelita-runtime.ts';
import { boot } from './boot.ts';

/**
 * Docker and Kubernetes kill a container 10 s after asking it to stop. Work in flight gets
 * six seconds; past eight the process exits anyway (what it held is retried elsewhere).
 */
const SHUTDOWN_GRACE_MS = 6_000;
const SHUTDOWN_LIMIT_MS = 8_000;

/** `pelita start`: runs until SIGINT or SIGTERM, then finishes in-flight work and exits. */
export async function startCommand(role: Role): Promise<number> {
  const booted = await boot({ role, http: true });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  booted.log.info('shutting down: finishing work in flight');
  const forced = setTimeout(() => {
    booted.log.error('shutdown took too long; exiting anyway (unfinished jobs are retried by other workers)');
    process.exit(1);
  }, SHUTDOWN_LIMIT_MS);
  forced.unref();
  await booted.shutdown(SHUTDOWN_GRACE_MS);
  return 0;
}
