/**
 * `npm run fuzz`: 10,000 arbitrary and hostile requests (or FUZZ_REQUESTS) at every route
 * and webhook of one Pelita, after 1,000 to warm up. Prints JSON: requests, 5xx and
 * unanswered requests, forgeries accepted, statuses, and RSS after / after the warm-up.
 * Exits 1 if anything failed, a forgery got through, or RSS grew more than 20 %.
 */
import { fuzzRequests } from '../tests/harness/fuzz-requests.ts';
import { startFuzzTarget } from '../tests/harness/fuzz-target.ts';
import { startTestRedis } from '../tests/harness/test-redis.ts';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const gc = (globalThis as { gc?: () => void }).gc;

const redis = await startTestRedis({ private: true });
const { target, stop } = await startFuzzTarget(redis);
try {
  await fuzzRequests(target, 1000, seed + 1);
  gc?.();
  const warm = process.memoryUsage().rss;
  const result = await fuzzRequests(target, REQUESTS, seed, (done) => {
    if (done % 2000 === 0) process.stderr.write(`fuzz: ${done} of ${REQUESTS}\n`);
  });
  gc?.();
  const rssRatio = Number((process.memoryUsage().rss / warm).toFixed(2));
  const healthy = (await fetch(`${target.baseUrl}/healthz`)).status === 200;
  const report = { seed, requests: result.requests, failures: result.failures.length, forgeries_accepted: result.forgeriesAccepted.length, rss_ratio: rssRatio, healthy, statuses: result.statuses, examples: [...result.failures, ...result.forgeriesAccepted].slice(0, 10) };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exitCode = result.failures.length === 0 && result.forgeriesAccepted.length === 0 && rssRatio <= 1.2 && healthy ? 0 : 1;
} finally {
  await stop();
  await redis.stop();
}
process.exit(process.exitCode ?? 0);
