import { defineConfig } from 'vitest/config';

/**
 * Three projects: `unit` needs no Redis and starts no process (the fast loop, `npm run
 * test:unit`; the command-line tests, which start `pelita` itself, and the NLU's scores on
 * its data sets, which train the model, are integration); `faults` kills workers, restarts Redis and stops processes mid-turn;
 * `integration` is the rest, each file with its own redis-server. `npm test` runs all three.
 * A new test file is integration unless it is listed here.
 */
const UNIT = [
  'tests/config.test.ts',
  'tests/content-flows.test.ts',
  'tests/engine-properties.test.ts',
  'tests/engine-step.test.ts',
  'tests/flow-graph.test.ts',
  'tests/json-schemas.test.ts',
  'tests/ensure-redis.test.ts',
  'tests/inbound-gateway.test.ts',
  'tests/load-flows.test.ts',
  'tests/logger.test.ts',
  'tests/nlu-entities.test.ts',
  'tests/node-fixtures.test.ts',
  'tests/offer-checker.test.ts',
  'tests/place-time-zones.test.ts',
  'tests/quiet-hours.test.ts',
  'tests/situation.test.ts',
  'tests/telegram-render.test.ts',
  'tests/transcript-coverage.test.ts',
  'tests/translator.test.ts',
];
const FAULTS = ['tests/faults-*.test.ts', 'tests/shutdown.test.ts'];

export default defineConfig({
  test: {
    // Each file starts its own redis-server; forks keep them apart and are killed cleanly.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', './tests/harness/summary-reporter.ts'],
    projects: [
      // Threads start faster than forks, and unit tests start no redis-server to keep apart.
      { extends: true, test: { name: 'unit', include: UNIT, pool: 'threads' } },
      { extends: true, test: { name: 'faults', include: FAULTS } },
      { extends: true, test: { name: 'integration', include: ['tests/**/*.test.ts'], exclude: [...UNIT, ...FAULTS] } },
    ],
  },
});
