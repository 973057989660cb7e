#!/usr/bin/env node
// The command is a thin shim: all behaviour lives in lib/cli.js, which returns an exit code.
import { main } from '../lib/cli.js';

// Ctrl-C or a kill ends the command at once; exit handlers remove temporary files and the
// browser (Puppeteer kills it on exit), so nothing half-written or running is left behind.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) process.once(signal, () => process.exit(code));

process.exitCode = await main(process.argv.slice(2));
