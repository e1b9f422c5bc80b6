// @ts-check
import { decode, ExtData, ExtensionCodec, encode } from '@msgpack/msgpack';

/**
 * Stands for a value Terraform does not know yet (decided only at apply time). On the wire it is
 * a msgpack extension: code 0 for a plain unknown, code 12 for a "refined" unknown (with hints
 * such as "not null"). Any other extension code must also be read as unknown
 * (docs/plugin-protocol/object-wire-format.md).
 */
export const UNKNOWN = Object.freeze({ unknown: true });

const codec = new ExtensionCodec();
for (const type of [0, 12]) {
  codec.register({
    type,
    // Only code 0 is ever written: an unknown without refinements must use the old encoding.
    encode: (value) => (type === 0 && value === UNKNOWN ? new Uint8Array(0) : null),
    decode: () => UNKNOWN,
  });
}

/**
 * Whether a decoded value (or a part of it) is unknown.
 * @param {unknown} value
 */
export function isUnknown(value) {
  return value === UNKNOWN || value instanceof ExtData;
}

/**
 * Whether a decoded value is known all the way down (no unknown attribute, element or block).
 * @param {unknown} value
 * @returns {boolean}
 */
export function isWhollyKnown(value) {
  if (isUnknown(value)) return false;
  if (value === null || typeof value !== 'object') return true;
  return Object.values(value).every(isWhollyKnown);
}

/**
 * Reads a tfplugin6 `DynamicValue` (msgpack preferred, json as the protocol's fallback) into
 * plain JS: objects and maps become objects, null stays null, unknowns become {@link UNKNOWN}.
 * @param {{ msgpack?: Uint8Array | null, json?: Uint8Array | null } | null | undefined} dynamicValue
 * @returns {any}
 */
export function decodeDynamicValue(dynamicValue) {
  if (dynamicValue?.msgpack && dynamicValue.msgpack.length > 0) {
    return decode(dynamicValue.msgpack, { extensionCodec: codec });
  }
  if (dynamicValue?.json && dynamicValue.json.length > 0) {
    return JSON.parse(Buffer.from(dynamicValue.json).toString('utf8'));
  }
  return null;
}

/**
 * Writes plain JS as a msgpack `DynamicValue`. Integers become msgpack integers, other numbers
 * floats, {@link UNKNOWN} an extension of code 0.
 * @param {unknown} value
 */
export function encodeDynamicValue(value) {
  return { msgpack: Buffer.from(encode(value, { extensionCodec: codec })) };
}
