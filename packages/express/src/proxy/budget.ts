import type { IncomingMessage, ServerResponse } from 'node:http';
import { type BudgetTicket, isLaceworkAuthError, type TokenProvider } from '@lacework-auth/core';
import { clientMessage, retryAfterHeader } from '../gateway-error.js';
import { sendJsonError } from '../json-error.js';

/**
 * Waits for room in the key's rate budget (the provider's, shared with its token exchanges and
 * every client of the key) before a call goes upstream. `undefined`: the provider has no budget.
 * `false`: nothing may be sent; the client was answered 503 with `Retry-After` (the wait would
 * be longer than `maxWait`), or has gone away meanwhile.
 */
export async function budgetSlot(
  provider: TokenProvider,
  maxWait: number,
  res: ServerResponse,
  report: (error: unknown) => void,
  status = 503,
): Promise<BudgetTicket | undefined | false> {
  const budget = provider.budget;
  if (budget === undefined) return undefined;
  const gone = new AbortController();
  const onClose = () => gone.abort(new Error('The client went away.'));
  res.once('close', onClose);
  try {
    return await budget.acquire({ maxWait, signal: gone.signal });
  } catch (error) {
    if (gone.signal.aborted) return false;
    report(error);
    if (!isLaceworkAuthError(error, 'ERR_LW_BUDGET_EXHAUSTED')) throw error;
    sendJsonError(
      res,
      status,
      error.code,
      clientMessage(error.code, status),
      retryAfterHeader(error),
    );
    return false;
  } finally {
    res.off('close', onClose);
  }
}

/** Lacework's answer, as the budget reads it (`RateLimit-*`, 429). */
export function observed(response: IncomingMessage) {
  return { status: response.statusCode ?? 0, headers: response.headers };
}
