// The programmatic API: `import { build } from 'briefdeck'` does what `briefdeck build` does.

export { build, type BuildOptions, type BuildResult, type BriefingResult } from './build.js';
export { compileBriefing, loadToolkit, type CompiledBriefing, type CompileOptions, type Toolkit } from './compile.js';
export type { Thumbnail } from './social.js';
export type { ImageFormat } from './targets/index.js';
export { formatDiagnostic, type Diagnostic, type Severity } from './diagnostics.js';
export { briefingJsonSchema, SLIDE_TYPES, type Briefing, type Slide, type SlideType } from './schema/briefing.js';
export { main } from './cli.js';
export { readManifest, type Manifest, type ManifestBriefing, type ManifestOutput } from './manifest.js';
export { merge, type MergeOptions, type Shard } from './shard.js';
