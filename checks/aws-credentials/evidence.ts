// What aws-credentials reports as evidence (CheckOutcome<AwsCredentialsEvidence>): renderers and
// the TUI import these types instead of guessing field names.
import type { Side } from "../../src/kit/index.js";
import type { RecorderState } from "../../src/probes/aws-config/index.js";

export interface AwsCredentialsEvidence {
  /** Current items read per side (null: the side was not read, or could not be); in use on the standby. */
  certificates: { standby: number | null; primary: number | null; inUseStandby: number };
  secrets: { standby: number | null; primary: number | null };
  /** In ms: `warnMs`/`failMs` before a certificate's notAfter (warnMs never below failMs), slack after a rotation falls due. */
  thresholds: { warnMs: number; failMs: number; rotationGraceMs: number };
  /** AWS Config requests sent per side read (logical calls, not SDK attempts). */
  requests: Partial<Record<Side, number>>;
  /** The configuration recorder's state per side read, as far as it could be asked. */
  recorder: Partial<Record<Side, RecorderState>>;
  /** Side vars whose primary values were replaced in primary names before pairing. */
  substitutedVars: string[];
}
