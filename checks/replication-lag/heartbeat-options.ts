// Which heartbeat options go with which format: pt-heartbeat's table is written by pt-heartbeat
// and keyed by server_id; the check's own row is keyed by id and may be written by the check.

export interface HeartbeatOptionsIn {
  format: "standby" | "pt-heartbeat";
  id?: string | undefined;
  write: boolean;
  serverId?: number | undefined;
  timeZone: string;
}

export function heartbeatFormatIssues(hb: HeartbeatOptionsIn, standby: string): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  if (hb.format === "pt-heartbeat") {
    if (hb.write) out.push({ path: "write", message: "pt-heartbeat --update writes its table; with format pt-heartbeat the check only reads it (remove write)" });
    if (hb.id !== undefined) out.push({ path: "id", message: "pt-heartbeat rows are keyed by server_id: use serverId, not id" });
    if (hb.serverId === undefined && /^postgres(ql)?:\/\//i.test(standby)) {
      out.push({ path: "serverId", message: "PostgreSQL has no @@server_id: set serverId to the server_id of the row the primary's writer updates" });
    }
  } else {
    if (hb.serverId !== undefined) out.push({ path: "serverId", message: "serverId is for format: pt-heartbeat (the check's own row is keyed by id)" });
    if (hb.timeZone !== "UTC") out.push({ path: "timeZone", message: "timeZone is for format: pt-heartbeat (the check's own row holds epoch ms)" });
  }
  return out;
}
