/**
 * Reusable float32 buffers for one analysis at a time. A 30 s clip's analysis needs about seven spectrogram-sized
 * arrays (5 MB each); allocating them fresh for every clip cost page faults, zero filling and garbage collections
 * (V8 collects when external memory grows) on top of the work itself. A workspace hands the same memory out again,
 * so it may serve only one analysis at a time, and nothing it hands out may outlive that analysis.
 */

/** Buffers above this many elements (a spectrogram of about 47 s) are allocated fresh and not kept. */
const MAX_KEPT_LENGTH = 1 << 21;

type ReusableArray = Float32Array | Float64Array | Int32Array;

export class Workspace {
  private readonly buffers = new Map<string, ReusableArray>();

  /**
   * An array of `length` elements of `Type` for the role `name`, with stale contents: callers write every element
   * they read.
   */
  take<T extends ReusableArray>(Type: new (length: number) => T, name: string, length: number): T {
    if (length > MAX_KEPT_LENGTH) return new Type(length);
    let buffer = this.buffers.get(name);
    if (!(buffer instanceof Type) || buffer.length < length) {
      buffer = new Type(length);
      this.buffers.set(name, buffer);
    }
    return buffer.subarray(0, length) as T;
  }

  /** take(Float32Array, name, length). */
  float32(name: string, length: number): Float32Array {
    return this.take(Float32Array, name, length);
  }
}

/** Where an analysis step gets a large array: from a workspace (stale contents), or fresh (zeroed). */
export function reusableArray<T extends ReusableArray>(
  workspace: Workspace | undefined,
  Type: new (length: number) => T,
  name: string,
  length: number,
): T {
  return workspace ? workspace.take(Type, name, length) : new Type(length);
}

/** reusableArray(workspace, Float32Array, name, length). */
export function float32Buffer(workspace: Workspace | undefined, name: string, length: number): Float32Array {
  return reusableArray(workspace, Float32Array, name, length);
}
