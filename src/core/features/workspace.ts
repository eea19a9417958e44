/**
 * Reusable float32 buffers for one analysis at a time. A 30 s clip's analysis needs about seven spectrogram-sized
 * arrays (5 MB each); allocating them fresh for every clip cost page faults, zero filling and garbage collections
 * (V8 collects when external memory grows) on top of the work itself. A workspace hands the same memory out again,
 * so it may serve only one analysis at a time, and nothing it hands out may outlive that analysis.
 */

/** Buffers above this many elements (a spectrogram of about 47 s) are allocated fresh and not kept. */
const MAX_KEPT_LENGTH = 1 << 21;

export class Workspace {
  private readonly buffers = new Map<string, Float32Array>();

  /** A Float32Array of `length` elements for the role `name`, with stale contents: callers write every element. */
  float32(name: string, length: number): Float32Array {
    if (length > MAX_KEPT_LENGTH) return new Float32Array(length);
    let buffer = this.buffers.get(name);
    if (!buffer || buffer.length < length) {
      buffer = new Float32Array(length);
      this.buffers.set(name, buffer);
    }
    return buffer.subarray(0, length);
  }
}

/** Where an analysis step gets its large arrays: from a workspace, or fresh. */
export function float32Buffer(workspace: Workspace | undefined, name: string, length: number): Float32Array {
  return workspace ? workspace.float32(name, length) : new Float32Array(length);
}
