import { fileURLToPath } from 'node:url';

/** Absolute path of the demo policy (DESIGN.md section 7) that `npm start` and the tests load. */
export const demoPolicyPath = fileURLToPath(new URL('../policies/demo.yaml', import.meta.url));

/** Absolute path of the demo policy's cases file, for `runPolicyCases`. */
export const demoCasesPath = fileURLToPath(new URL('../policies/demo.cases.yaml', import.meta.url));
