import { describe, expect, it } from 'vitest';
import { api, emulator, token } from './support/helpers.js';

const json = { 'Content-Type': 'application/json' };
const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** The sample alerts (newest first): ids 1000..1004, severities High, Medium, Critical, Low, Info. */
async function search(body: unknown) {
  const emu = await emulator();
  const res = await api(emu, '/api/v2/Alerts/search', await token(emu), {
    method: 'POST',
    headers: json,
    body: JSON.stringify(body),
  });
  return res;
}

async function ids(filters: unknown[]): Promise<number[]> {
  const res = await search({ filters, returns: ['alertId'] });
  if (res.status === 204) return [];
  expect(res.status).toBe(200);
  const { data } = (await res.json()) as { data: { alertId: number }[] };
  return data.map((a) => a.alertId);
}

describe('Alerts/search filters and time window', () => {
  it.each([
    ['eq', { field: 'severity', expression: 'eq', value: 'High' }, [1000]],
    [
      'eq on a number, given as a string (as the Go SDK sends it)',
      { field: 'alertId', expression: 'eq', value: '1002' },
      [1002],
    ],
    ['ne', { field: 'severity', expression: 'ne', value: 'High' }, [1001, 1002, 1003, 1004]],
    ['in', { field: 'severity', expression: 'in', values: ['Low', 'Info'] }, [1003, 1004]],
    [
      'not_in',
      { field: 'severity', expression: 'not_in', values: ['Low', 'Info'] },
      [1000, 1001, 1002],
    ],
    ['like', { field: 'alertType', expression: 'like', value: 'New%' }, [1000, 1002, 1004]],
    ['like is case-sensitive', { field: 'alertType', expression: 'like', value: 'new%' }, []],
    ['like with _', { field: 'alertType', expression: 'like', value: 'NewUse_' }, [1004]],
    ['ilike', { field: 'alertType', expression: 'ilike', value: 'new%' }, [1000, 1002, 1004]],
    ['not_like', { field: 'alertType', expression: 'not_like', value: 'New%' }, [1001, 1003]],
    [
      'not_ilike',
      { field: 'alertType', expression: 'not_ilike', value: '%USER%' },
      [1000, 1001, 1002, 1003],
    ],
    [
      'rlike (the whole value must match)',
      { field: 'severity', expression: 'rlike', value: '(High|Low)' },
      [1000, 1003],
    ],
    ['rlike does not match a part', { field: 'severity', expression: 'rlike', value: 'Hi' }, []],
    ['not_rlike', { field: 'severity', expression: 'not_rlike', value: '.*i.*' }, [1003, 1004]],
    ['gt on numbers', { field: 'alertId', expression: 'gt', value: '1002' }, [1003, 1004]],
    ['ge', { field: 'alertId', expression: 'ge', value: 1003 }, [1003, 1004]],
    ['lt', { field: 'alertId', expression: 'lt', value: '1001' }, [1000]],
    ['le', { field: 'alertId', expression: 'le', value: '1001' }, [1000, 1001]],
    [
      'between (inclusive)',
      { field: 'alertId', expression: 'between', values: ['1001', '1003'] },
      [1001, 1002, 1003],
    ],
    [
      'a nested field',
      { field: 'derivedFields.category', expression: 'eq', value: 'Anomaly' },
      [1000, 1004],
    ],
    ['a field the alerts lack', { field: 'nope', expression: 'ne', value: 'x' }, []],
  ])('%s', async (_name, filter, expected) => {
    expect(await ids([filter])).toEqual(expected);
  });

  it('gt/lt compare ISO times in order', async () => {
    const cut = new Date(Date.now() - 7.5 * HOUR).toISOString();
    expect(await ids([{ field: 'startTime', expression: 'gt', value: cut }])).toEqual([1000, 1001]);
  });

  it('applies every filter (AND)', async () => {
    expect(
      await ids([
        { field: 'derivedFields.category', expression: 'eq', value: 'Policy' },
        { field: 'severity', expression: 'eq', value: 'Low' },
      ]),
    ).toEqual([1003]);
  });

  it.each([
    [
      'between with one value',
      { field: 'alertId', expression: 'between', values: ['1'] },
      /'between' needs values, an array of two values/,
    ],
    [
      'in without values',
      { field: 'severity', expression: 'in', value: 'High' },
      /'in' needs values/,
    ],
    [
      'a bad regular expression',
      { field: 'severity', expression: 'rlike', value: '(' },
      /not a valid regular expression/,
    ],
    ['no field', { expression: 'eq', value: 'x' }, /filters\[0\]\.field must be a field name/],
  ])('answers 400 to %s', async (_name, filter, message) => {
    const res = await search({ filters: [filter] });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(message);
  });

  it('answers an empty search with 204 and no body', async () => {
    const res = await search({ filters: [{ field: 'severity', expression: 'eq', value: 'None' }] });
    expect(res.status).toBe(204);
    expect(res.headers.get('content-type')).toBeNull();
    expect(await res.text()).toBe('');
  });

  it('answers 204 for a window with no alerts, too', async () => {
    const end = Date.now() - 2 * DAY;
    const res = await search({
      timeFilter: {
        startTime: new Date(end - DAY).toISOString(),
        endTime: new Date(end).toISOString(),
      },
    });
    expect(res.status).toBe(204);
  });

  it('accepts a window of exactly 7 days starting 91 days back', async () => {
    const start = Date.now() - 91 * DAY;
    const res = await search({
      timeFilter: {
        startTime: new Date(start).toISOString(),
        endTime: new Date(start + 7 * DAY).toISOString(),
      },
    });
    expect(res.status).toBe(204);
  });

  it('answers 400 to a window longer than 7 days', async () => {
    const now = Date.now();
    const res = await search({
      timeFilter: {
        startTime: new Date(now - 7 * DAY - 60_000).toISOString(),
        endTime: new Date(now).toISOString(),
      },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toBe(
      'The time window from timeFilter.startTime to timeFilter.endTime is longer than 7 days; search at most 7 days at a time.',
    );
  });

  it('answers 400 to a window starting more than 92 days back', async () => {
    const start = Date.now() - 93 * DAY;
    const res = await search({
      timeFilter: {
        startTime: new Date(start).toISOString(),
        endTime: new Date(start + DAY).toISOString(),
      },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(
      /^timeFilter\.startTime is more than 92 days ago; data can be searched back 92 days at most/,
    );
  });
});
