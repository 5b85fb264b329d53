// What a drill-recency result carries for renderers: the cadence, the last drill and the slots it
// was judged against (ISO instants), and the grace and warning windows in ms. The measured value
// is the last drill's age in seconds; `measured.limit` is the oldest age that still covers the
// enforced slot, `measured.warnAt` the age from which a due or imminent slot warns.
export interface DrillRecencyEvidence {
  cadence: string;
  /** IANA zone the cadence is read in. */
  timezone: string;
  /** When the last successful drill happened (ISO); null: none on record (awsFis without a completed experiment). */
  lastDrill: string | null;
  /** Where that came from: "drills/orders.json /completedAt", "mtime of x", "HTTP /at", "command x", "FIS experiment EXP1 (...)". */
  lastDrillFrom: string;
  /** The latest slot before now (null: none yet). */
  previousSlot: string | null;
  /** The latest slot whose grace is over: the one a drill must cover (null: none yet). */
  enforcedSlot: string | null;
  nextSlot: string;
  graceMs: number;
  warnBeforeMs: number;
  /** awsFis: what FIS holds about the drill's templates. */
  fis?: FisDrillEvidence;
}

/** A FIS experiment as evidence: times ISO, `reason` FIS's state.reason. */
export interface FisExperimentEvidence {
  id: string;
  templateId: string;
  status: string;
  reason: string;
  createdAt: string;
}

export interface FisDrillEvidence {
  region: string;
  /** The experiment template ids read (by id, or selected by tags). */
  templates: string[];
  /** Experiments of those templates that FIS listed. */
  experiments: number;
  /** The completed experiment created last: the drill (its endTime is `lastDrill`). */
  lastCompleted: (FisExperimentEvidence & { startTime: string | null; endTime: string }) | null;
  /** Failed, stopped or cancelled experiments after the last completed one (all when none completed), newest first, at most 5. */
  notCompleted: FisExperimentEvidence[];
  notCompletedTotal: number;
  /** Experiments pending, initiating, running or stopping, newest first, at most 5. */
  inProgress: FisExperimentEvidence[];
}
