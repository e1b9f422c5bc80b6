/**
 * The codes of lacework-auth's warnings, one per kind, as `process.emitWarning` shows them:
 * `LW_INSECURE_PERMISSIONS` (a key file or config readable by others), `LW_CLOCK_SKEW` (this
 * machine's clock ahead of Lacework's), `LW_TOKEN_STORE` (a token store failed and was bypassed),
 * `LW_UNTRUSTED_CACHE_DIR` (a cache directory others control, not used), `LW_BUDGET_STORE` (the
 * rate budget's store failed; the budget continues in memory).
 */
export const WARNING_CODES = [
  'LW_INSECURE_PERMISSIONS',
  'LW_CLOCK_SKEW',
  'LW_TOKEN_STORE',
  'LW_UNTRUSTED_CACHE_DIR',
  'LW_BUDGET_STORE',
] as const;

/** The code of a warning (see {@link WARNING_CODES}). */
export type WarningCode = (typeof WARNING_CODES)[number];

/** Receives warnings such as "key file readable by other users", with their code. */
export type WarningHandler = (message: string, code: WarningCode) => void;

/** The default {@link WarningHandler}: `process.emitWarning` with the warning's code. */
export const defaultWarningHandler: WarningHandler = (message, code) => {
  process.emitWarning(message, { code });
};
