#!/usr/bin/env node
// The CLI is TypeScript (src/cli); tsx compiles it on the fly so Node runs the same core the browser does.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
