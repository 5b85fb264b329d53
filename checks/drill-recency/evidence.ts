// What a drill-recency result carries for renderers: the cadence, the last drill and the slots it
// was judged against (ISO instants), and the grace and warning windows in ms. The measured value
// is the last drill's age in seconds; `measured.limit` is the oldest age that still covers the
// enforced slot, `measured.warnAt` the age from which a due or imminent slot warns.
export interface DrillRecencyEvidence {
  cadence: string;
  /** IANA zone the cadence is read in. */
  timezone: string;
  /** When the last successful drill happened (ISO). */
  lastDrill: string;
  /** Where that came from: "drills/orders.json /completedAt", "mtime of x", "HTTP /at", "command x". */
  lastDrillFrom: string;
  /** The latest slot before now (null: none yet). */
  previousSlot: string | null;
  /** The latest slot whose grace is over: the one a drill must cover (null: none yet). */
  enforcedSlot: string | null;
  nextSlot: string;
  graceMs: number;
  warnBeforeMs: number;
}
