/**
 * Approximate in-memory size of a structured-cloneable value, in bytes: binary data at its byte length, strings at
 * two bytes a character, numbers at eight, plus a small overhead per object. Good enough to show what a cache holds.
 */
export function approximateBytes(value: unknown, seen: Set<object> = new Set()): number {
  if (value === null || value === undefined) return 0;
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return 8;
    case 'boolean':
      return 4;
    case 'string':
      return 2 * value.length;
    case 'object':
      break;
    default:
      return 0;
  }
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (seen.has(value)) return 0;
  seen.add(value);
  const objectOverhead = 16;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + approximateBytes(item, seen), objectOverhead);
  if (value instanceof Map) {
    let sum = objectOverhead;
    for (const [k, v] of value) sum += approximateBytes(k, seen) + approximateBytes(v, seen);
    return sum;
  }
  let sum = objectOverhead;
  for (const [k, v] of Object.entries(value)) sum += 2 * k.length + approximateBytes(v, seen);
  return sum;
}

export function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
