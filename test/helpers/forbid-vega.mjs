// `node --import` this file to make importing Vega or Vega-Lite fail: a process that builds
// without error did not load them.
import { register } from 'node:module';

register(new URL('./forbid-vega-hooks.mjs', import.meta.url));
