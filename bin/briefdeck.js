#!/usr/bin/env node
// The command is a thin shim: all behaviour lives in lib/cli.js, which returns an exit code.
import { main } from '../lib/cli.js';

process.exitCode = await main(process.argv.slice(2));
