#!/usr/bin/env node
// The `pelita` command. TypeScript sources run through tsx's loader, so there is no build
// step between `npm ci` and `npx pelita`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
