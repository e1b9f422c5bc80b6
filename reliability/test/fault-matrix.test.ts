// Every fault the emulator injects, on the token endpoint and on an API route, once and every
// time, against each way of using the packages. Each cell must end as the packages' READMEs say
// (test/support/expected.ts); the table is printed, ✗ marking a miss. The key's secret is a
// canary: no output, error, answer or header of any cell may contain it.
import { expect, it } from 'vitest';
import { CANARY_SECRET, transcript } from './support/canary.js';
import { matrixTable, runMatrix } from './support/run-matrix.js';

it('every fault × every consumer ends in the documented recovery or typed error', async () => {
  const checked = await runMatrix();
  console.log(`\nFault matrix (${checked.length} cells; first attempt → next attempt)\n`);
  console.log(matrixTable(checked));
  expect(checked.filter((c) => !c.ok).map((c) => `${c.fault.name} × ${c.consumer}`)).toEqual([]);
  expect(checked.length).toBeGreaterThan(150);
  // Every cell ran with a canary secret: no output, message, answer or header may hold it.
  expect(transcript.length).toBeGreaterThan(checked.length);
  expect(transcript.filter((text) => text.includes(CANARY_SECRET))).toEqual([]);
});
