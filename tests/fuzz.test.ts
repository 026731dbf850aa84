import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzRequests, type FuzzTarget } from './harness/fuzz-requests.ts';
import { startFuzzTarget } from './harness/fuzz-target.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

let redis: TestRedis;
let target: FuzzTarget;
let stop: () => Promise<void>;

beforeAll(async () => {
  redis = await startTestRedis();
  ({ target, stop } = await startFuzzTarget(redis));
});
afterAll(async () => {
  await stop?.();
  await redis?.stop();
});

/**
 * A small fuzz on every run (a new seed each time, printed on failure); `npm run fuzz`
 * sends 10,000 and watches memory too.
 */
describe('arbitrary and hostile requests at every route', () => {
  it('crash nothing, answer no 5xx and accept no forgery', async () => {
    const seed = Date.now() % 2 ** 31;
    const result = await fuzzRequests(target, 600, seed);
    expect({ seed, failures: result.failures, forgeries: result.forgeriesAccepted }).toEqual({ seed, failures: [], forgeries: [] });
    // It reached past the door: a real message, poll and both webhooks were accepted,
    // whatever the seed, and the hostile ones met refusals.
    expect(result.wellFormedRefused).toEqual([]);
    expect(result.statuses[202]).toBeGreaterThan(0);
    expect(result.statuses[401]).toBeGreaterThan(0);
    expect(result.statuses[400]).toBeGreaterThan(0);
    expect((await fetch(`${target.baseUrl}/healthz`)).status).toBe(200);
  }, 120_000);
});
