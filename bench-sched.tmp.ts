import { benchServer } from "/work/main/bench/http";
import { ensureLargeData } from "/work/main/bench/large-data";
import { benchSchedulePage } from "/work/main/bench/schedule-page";
import { benchBookingJs } from "/work/main/bench/booking-js";
const large = await ensureLargeData();
const server = await benchServer(large);
try {
  if (!process.env.ONLY_JS) console.log(JSON.stringify(await benchSchedulePage(server)));
  console.log(JSON.stringify(await benchBookingJs(server)));
} finally { await server.close(); }
process.exit(0);
