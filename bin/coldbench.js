#!/usr/bin/env node
// The coldbench command: runs the compiled CLI (built into dist/ by `npm ci` / `npm run build`).
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));
