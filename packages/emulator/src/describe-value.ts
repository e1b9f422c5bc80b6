/** Describes a value for an error message without echoing strings (they may be secrets). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';
  if (typeof value === 'number') return String(value);
  return typeof value === 'object' ? 'an object' : String(typeof value);
}
