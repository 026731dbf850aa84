/**
 * `npm run fuzz`: 10,000 arbitrary and hostile requests (or FUZZ_REQUESTS) at every route
 * and webhook of `pelita start` running in a process of its own, after 2,000 to warm up.
 * Prints JSON: requests, 5xx and unanswered requests, forgeries accepted, well-formed
 * requests refused, statuses, and the Pelita process's RSS after the fuzz / after the
 * warm-up. Exits 1 if anything failed, a forgery got through, a well-formed request was
 * refused, RSS grew more than 20 %, or Pelita did not stop cleanly.
 */
import { fuzzRequests } from '../tests/harness/fuzz-requests.ts';
import { spawnFuzzTarget } from '../tests/harness/fuzz-target.ts';
import { startTestRedis } from '../tests/harness/test-redis.ts';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

const redis = await startTestRedis({ private: true });
const { target, rssBytes, stop } = await spawnFuzzTarget(redis);
let ok = false;
try {
  await fuzzRequests(target, 2000, seed + 1);
  const warm = rssBytes();
  const result = await fuzzRequests(target, REQUESTS, seed, (done) => {
    if (done % 2000 === 0) process.stderr.write(`fuzz: ${done} of ${REQUESTS}\n`);
  });
  const rssRatio = Number((rssBytes() / warm).toFixed(2));
  const healthy = (await fetch(`${target.baseUrl}/healthz`)).status === 200;
  const report = {
    seed,
    requests: result.requests,
    failures: result.failures.length,
    forgeries_accepted: result.forgeriesAccepted.length,
    well_formed_refused: result.wellFormedRefused.length,
    rss_ratio: rssRatio,
    rss_mb: Math.round(rssBytes() / 2 ** 20),
    healthy,
    statuses: result.statuses,
    examples: [...result.failures, ...result.forgeriesAccepted, ...result.wellFormedRefused].slice(0, 10),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  ok =
    result.failures.length === 0 &&
    result.forgeriesAccepted.length === 0 &&
    result.wellFormedRefused.length === 0 &&
    rssRatio <= 1.2 &&
    healthy;
} finally {
  const code = await stop();
  await redis.stop();
  if (code !== 0) ok = false;
}
process.exit(ok ? 0 : 1);
