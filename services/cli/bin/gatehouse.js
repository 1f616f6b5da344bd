#!/usr/bin/env node
// Launcher for `npx gatehouse`: the CLI runs from its TypeScript source (no build step), so
// register tsx's loader first, then load the entry point.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
