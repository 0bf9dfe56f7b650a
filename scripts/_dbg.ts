import { startWorker } from "../tests/helpers/worker-runtime";
import { TEMPLATE_DB } from "../tests/setup/paths";
import { deskBookingFields } from "../tests/helpers/booking-fixtures";
import { ROLE_EMAILS } from "../tests/helpers/test-app";
const w = await startWorker(TEMPLATE_DB, {});
try {
  const desk = await w.signIn(ROLE_EMAILS.front_desk);
  const { fields } = await deskBookingFields("13:00", 8);
  const res = await w.post("/schedule/new", { ...fields, time: "15:00" }, desk);
  const path = res.headers.get("location")!;
  const html = await (await w.send(`${path}?moveDate=${fields.date}`, { headers: { cookie: desk } })).text();
  const i = html.indexOf("Open times");
  console.log(html.slice(i - 200, i + 1500).replace(/<[^>]+>/g, " ").replace(/\s+/g, " "));
} finally { await w.close(); }
process.exit(0);
