import { ExtData, encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import {
  type DynamicValue,
  decodeDynamicValue,
  encodeDynamicValue,
  isUnknown,
  isWhollyKnown,
  UNKNOWN,
} from '../../src/provider/cty.js';

const msgpack = (value: unknown) => ({ msgpack: encode(value) });
/** The objects below, decoded. */
const decodeObject = (value: DynamicValue) =>
  decodeDynamicValue(value) as Record<string, Record<string, unknown>>;

describe('cty msgpack wire format', () => {
  it('reads extension code 0 as an unknown value', () => {
    const value = decodeObject(msgpack({ url: new ExtData(0, new Uint8Array(0)) }));
    expect(isUnknown(value.url)).toBe(true);
    expect(isWhollyKnown(value)).toBe(false);
  });

  it('reads a refined unknown (code 12, refinement map payload) as unknown', () => {
    // Refinement 1 = nullness: "definitely not null", as Terraform sends for e.g. a known-not-null string.
    const refinements = encode(new Map([[1, false]]));
    const value = decodeObject(msgpack({ url: new ExtData(12, refinements) }));
    expect(isUnknown(value.url)).toBe(true);
  });

  it('reads any other extension code as unknown, as the protocol asks', () => {
    const value = decodeObject(msgpack({ retry: { attempts: new ExtData(7, Uint8Array.of(1)) } }));
    expect(isUnknown(value.retry?.attempts)).toBe(true);
    expect(isWhollyKnown(value)).toBe(false);
  });

  it('keeps nulls, maps, numbers and strings, and writes unknowns back as code 0', () => {
    const object = {
      url: 'http://127.0.0.1/x',
      method: null,
      request_headers: { 'X-A': 'b' },
      request_timeout_ms: 1500,
      ratio: 0.5,
      insecure: false,
      later: UNKNOWN,
    };
    const decoded = decodeObject(encodeDynamicValue(object));
    expect(decoded).toEqual(object);
    expect(isWhollyKnown({ ...decoded, later: 'x' })).toBe(true);
  });

  it('falls back to the json field when msgpack is empty', () => {
    const value = decodeObject({
      msgpack: new Uint8Array(0),
      json: Buffer.from('{"url":"http://x"}'),
    });
    expect(value).toEqual({ url: 'http://x' });
  });
});
