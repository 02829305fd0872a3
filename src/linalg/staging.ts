/** A byte buffer reused from call to call (`Backend.stagingBuffer` where rows have no better place). */
export class StagingArea {
  private bytes = new Uint8Array(0);

  /** The first `length` bytes of the buffer, grown (contents dropped) when too short. */
  view(length: number): Uint8Array {
    if (this.bytes.length < length) this.bytes = new Uint8Array(length);
    return this.bytes.subarray(0, length);
  }
}
