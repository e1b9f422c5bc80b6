import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  BudgetExhaustedError,
  type BudgetTicket,
  isLaceworkAuthError,
  type RateBudget,
  type TokenProvider,
} from '@lacework-auth/core';
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

const WAITING = Symbol('waiting');
// Once the budget had room after `maxWait`, how often to look again while the exchange is slow.
const RECHECK_MS = 250;

/**
 * Waits for `pending` (a token, or a token exchange after a refusal), at most `maxWait` while the
 * key's budget has no room. A token exchange draws on the budget like any call, and core's
 * provider waits for room without a limit, so a request whose token must be exchanged while the
 * budget is empty would wait as long as that. When `pending` has not settled after `maxWait` and
 * the budget still has no room, this throws `ERR_LW_BUDGET_EXHAUSTED` with `retryAfterMs` (the
 * exchange goes on, for later requests). An exchange that is only slow (the budget has room) is
 * waited for, within its own `timeout`.
 */
export async function withinBudget<T>(
  pending: Promise<T>,
  budget: RateBudget | undefined,
  maxWait: number,
): Promise<T> {
  if (budget === undefined) return pending;
  // Even with room now, the wait is bounded: the exchange takes its slot only after a few awaits
  // (credentials, the token store), and another caller or process sharing the budget may take
  // that room first; the exchange would then wait for the next window, without a limit.
  for (let wait = maxWait; ; wait = Math.max(maxWait, RECHECK_MS)) {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<typeof WAITING>((resolve) => {
      timer = setTimeout(resolve, wait, WAITING);
    });
    try {
      const result = await Promise.race([pending, waited]);
      if (result !== WAITING) return result as T;
    } finally {
      clearTimeout(timer);
    }
    const { nextSlotMs } = budget.stats();
    if (nextSlotMs > 0) {
      pending.catch(() => undefined);
      const seconds = Math.ceil(nextSlotMs / 1000);
      throw new BudgetExhaustedError(
        `The Lacework rate budget for this key (${budget.limit} calls per ${Math.round(budget.windowMs / 1000)} s) has no room for the token exchange this request needs for about ${seconds} s, longer than the ${maxWait} ms it may wait (\`maxBudgetWait\`). Nothing was sent for it. Retry after ${seconds} s, or raise \`maxBudgetWait\`.`,
        { retryAfterMs: nextSlotMs },
      );
    }
  }
}

/** Lacework's answer, as the budget reads it (`RateLimit-*`, 429). */
export function observed(response: IncomingMessage) {
  return { status: response.statusCode ?? 0, headers: response.headers };
}
