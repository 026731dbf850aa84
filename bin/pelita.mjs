#!/usr/bin/env node
// The `pelita` command. TypeScript sources run through tsx's loader, so there is no build
// step between `npm ci` and `npx pelita`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Everything is closed by now; exit rather than wait for a library's stray timer (a BullMQ
// worker closed moments after it started can leave its 30 s stalled-job timer behind).
// Writes to pipes, files and terminals are synchronous on Linux, so no output is lost.
process.exit(code);
