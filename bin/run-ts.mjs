#!/usr/bin/env node
// Runs a TypeScript entry point without a build step: tsx's loader is registered first,
// so `npx pelita` works straight after `npm ci`.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

register();
const [entry, ...rest] = process.argv.slice(2);
process.argv = [process.argv[0], entry, ...rest];
await import(pathToFileURL(path.resolve(entry)).href);
