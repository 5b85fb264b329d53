import { it } from "vitest";
import { startMariaPair } from "../helpers/servers/mariadb.js";
import { startRedisPair } from "../helpers/servers/redis.js";
it("maria pair", async () => {
  const t=Date.now();
  const pair = await startMariaPair();
  console.log("started in", Date.now()-t);
  pair.primary.sql("INSERT INTO app.t (v) VALUES ('x')");
  await new Promise(r=>setTimeout(r,300));
  console.log(pair.replica.sql("SHOW SLAVE STATUS\\G"));
  console.log(pair.primary.sql("SHOW MASTER STATUS; SELECT @@gtid_binlog_pos, @@gtid_current_pos"));
  await pair.stop();
}, 60000);
it("redis pair", async () => {
  const t=Date.now();
  const pair = await startRedisPair();
  console.log("started in", Date.now()-t);
  console.log(await pair.primary.info(), await pair.replica.info(), await pair.replica.cmd("ROLE"));
  await pair.stop();
}, 60000);
