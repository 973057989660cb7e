// Prints a briefing's diagnostics exactly as the fixture tests compare them (one per line), e.g.
// to write the .err file beside a new invalid fixture: node scripts/diagnose.js FILE > FILE.err
import { compileBriefing, loadToolkit } from '../lib/compile.js';
import { formatDiagnostic, sortDiagnostics } from '../lib/diagnostics.js';

const toolkit = await loadToolkit();
for (const file of process.argv.slice(2)) {
  const compiled = await compileBriefing(file, toolkit);
  for (const line of sortDiagnostics(compiled.diagnostics).map(formatDiagnostic)) console.log(line);
}
