import { benchServer } from "./http";
import { ensureLargeData } from "./large-data";
import { benchSchedulePage } from "./schedule-page";
const large = await ensureLargeData();
const server = await benchServer(large);
try {
  console.log(JSON.stringify(await benchSchedulePage(server, Number(process.env.N ?? 300), Number(process.env.C ?? 20))));
} finally { await server.close(); }
