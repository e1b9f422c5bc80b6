import { decode, ExtData, ExtensionCodec, encode } from '@msgpack/msgpack';

/**
 * A value Terraform does not know yet. On the wire (docs/plugin-protocol/object-wire-format.md)
 * it is a msgpack extension: code 0 plain, 12 "refined"; any other code also means unknown.
 */
export const UNKNOWN: unique symbol = Symbol('unknown');

const codec = new ExtensionCodec();
for (const type of [0, 12]) {
  codec.register({
    type,
    encode: (value) => (type === 0 && value === UNKNOWN ? new Uint8Array(0) : null),
    decode: () => UNKNOWN,
  });
}

/** Whether a decoded value is unknown (at this level). */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN || value instanceof ExtData;
}

/** Whether a decoded value is known all the way down. */
export function isWhollyKnown(value: unknown): boolean {
  if (isUnknown(value)) return false;
  if (value === null || typeof value !== 'object') return true;
  return Object.values(value).every(isWhollyKnown);
}

/** A tfplugin6 `DynamicValue` as it arrives (msgpack, or the json fallback). */
export interface DynamicValue {
  msgpack?: Uint8Array | null;
  json?: Uint8Array | null;
}

/** Reads a `DynamicValue` into plain JS; unknowns become {@link UNKNOWN}. */
export function decodeDynamicValue(value: DynamicValue | null | undefined): unknown {
  if (value?.msgpack && value.msgpack.length > 0) {
    return decode(value.msgpack, { extensionCodec: codec });
  }
  if (value?.json && value.json.length > 0) {
    return JSON.parse(Buffer.from(value.json).toString('utf8'));
  }
  return null;
}

/** Writes plain JS as a msgpack `DynamicValue` (objects for Terraform objects). */
export function encodeDynamicValue(value: unknown): { msgpack: Buffer } {
  return { msgpack: Buffer.from(encode(value, { extensionCodec: codec })) };
}
