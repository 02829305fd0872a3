/**
 * A recorded contribution's (or update's) payload as the protobuf message, or why it is not one. The daemon records
 * only contributions that decoded, so a CRC-valid record that does not decode is corruption (reported with
 * its offset, like a CRC mismatch); one that decodes but is invalid (a wrong length, say) fails its step.
 */
import { fisherd } from '../protocol/generated/fisherd.js';

/** The decoded message, or a message saying why the bytes are not a StepContribution. */
export function decodeContribution(body: Uint8Array): fisherd.v1.StepContribution | string {
  try {
    return fisherd.v1.StepContribution.decode(body);
  } catch (e) {
    return `the recorded contribution does not decode (${e instanceof Error ? e.message : String(e)})`;
  }
}

/** The decoded recorded update, or a message saying why the bytes are not an Update (corruption, as above). */
export function decodeUpdate(body: Uint8Array): fisherd.v1.Update | string {
  try {
    return fisherd.v1.Update.decode(body);
  } catch (e) {
    return `the recorded update does not decode (${e instanceof Error ? e.message : String(e)})`;
  }
}
