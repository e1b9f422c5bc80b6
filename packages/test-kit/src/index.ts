// Test support shared by the lacework-auth packages and examples, for any test runner (vitest,
// node:test): fixtures take the runner's "when the test finishes" hook (see OnFinished). The
// vitest flavour, with that hook filled in and vitest assertions, is `@lacework-auth/test-kit/vitest`.
export type { OnFinished } from './cleanup.js';
export {
  type BaseUrlCase,
  CONFORMANCE_KEY,
  caseKey,
  caseOptions,
  caseOutcome,
  conformanceCases,
  type ExchangeCase,
  expectedRequest,
  type RefreshWindowCase,
  requestComparison,
  scriptedAnswer,
} from './conformance.js';
export { canaryEmulatorFixture, emulatorFixture, keyOptions } from './emulator.js';
export { type ExampleInput, type LaceworkEnv, runAsScript, runExample } from './example.js';
export { listenFixture } from './listen.js';
export {
  type RecordedRequest,
  type ScriptedAnswer,
  scriptedServerFixture,
} from './scripted-server.js';
export { CANARY_KEY_ID, CANARY_SECRET, leakedPieces, renderings } from './secrets.js';
export { tempDirFixture } from './temp-dir.js';
