/**
 * The one cleanup pattern of every fixture here: it takes the hook that runs a function when the
 * test finishes — vitest's `onTestFinished` (the default in `@lacework-auth/test-kit/vitest`, or
 * the test context's own for concurrent tests), node:test's `t.after` — and registers its own
 * cleanup there. No fixture has a close() of its own to forget.
 */
export type OnFinished = (cleanup: () => Promise<void> | void) => void;
