/**
 * Layers that point one way: a folder may import its own files and the folders before it
 * in LAYERS, never one after it. `npm test` runs this (pretest), next to the cycle check.
 * `authoring/` (the checks behind `pelita flows check`) may read everything and is read by
 * the command line alone.
 */
const LAYERS = ['core', 'config', 'redis', 'content', 'nlu', 'flows', 'engine', 'cases', 'alerts', 'pipeline', 'channels', 'app', 'cli'];

const higherThan = (index) => LAYERS.slice(index + 1);

module.exports = {
  forbidden: [
    ...LAYERS.slice(0, -1).map((layer, index) => ({
      name: `${layer}-points-down`,
      comment: `src/${layer} may import only ${['itself', ...LAYERS.slice(0, index)].join(', ')}`,
      severity: 'error',
      from: { path: `^src/${layer}/` },
      to: { path: `^src/(${[...higherThan(index), 'authoring'].join('|')})/` },
    })),
    {
      name: 'authoring-only-from-cli',
      comment: 'the authoring checks are read by the command line alone',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(cli|authoring)/' },
      to: { path: '^src/authoring/' },
    },
    {
      name: 'authoring-not-into-cli-or-app',
      comment: 'the authoring checks read content, flows and the engine, not the running app',
      severity: 'error',
      from: { path: '^src/authoring/' },
      to: { path: '^src/(cli|app)/' },
    },
    {
      name: 'known-layers-only',
      comment: 'every folder of src/ has its place in LAYERS (or is authoring/)',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/', pathNot: `^src/(${[...LAYERS, 'authoring'].join('|')})/` },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: 'node_modules' },
  },
};
