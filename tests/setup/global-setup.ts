import { ensureBuild, ensureTemplateDatabase } from "./template-db";

export default async function globalSetup() {
  ensureBuild();
  await ensureTemplateDatabase();
}
