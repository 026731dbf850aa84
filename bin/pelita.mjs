#!/usr/bin/env -S node --max-semi-space-size=32 --no-memory-reducer
// The `pelita` command. TypeScript sources run through tsx's loader, so there is no build
// step between `npm ci` and `npx pelita`.
//
// Node's flags keep full garbage collections away from people's replies: a young
// generation of 32 MB (V8's default is 16) lets a message's garbage die young, and without
// the memory reducer V8 does not start full collections of its own when traffic pauses,
// which then slowed the next burst's replies by 50-140 ms (docs/decisions). The Dockerfile,
// docker-compose.yml and `npm start` give Node the same flags; the test harness reads them
// from this line.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Everything is closed by now; exit rather than wait for a library's stray timer (a BullMQ
// worker closed moments after it started can leave its 30 s stalled-job timer behind).
// Writes to pipes, files and terminals are synchronous on Linux, so no output is lost.
process.exit(code);
