import { ensureBuild, ensureTemplateDatabase, ensureWorkerBuild } from "./template-db";

export default async function globalSetup() {
  ensureBuild();
  ensureWorkerBuild();
  await ensureTemplateDatabase();
}
