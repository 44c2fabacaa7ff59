// Adds up the Jest result files every project's test target writes, and prints
// one closing line: "jest: N passed, N failed". Exits 1 when any test failed
// or when there are no results at all.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'tmp/jest-results';
const files = readdirSync(dir).filter((name) => name.endsWith('.json'));
let passed = 0;
let failed = 0;
for (const file of files) {
  const result = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  passed += result.numPassedTests;
  failed += result.numFailedTests + result.numRuntimeErrorTestSuites;
}
console.log(`jest: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
