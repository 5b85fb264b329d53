import { it, expect } from "vitest";
import { startPostgresPair } from "../helpers/servers/postgres.js";
it("pg pair", async () => {
  const t=Date.now();
  const pair = await startPostgresPair();
  console.log("started in", Date.now()-t);
  console.log(await pair.standby.query("select * from pg_stat_wal_receiver"));
  console.log(await pair.primary.query("select * from pg_stat_replication"));
  await pair.stop();
}, 60000);
