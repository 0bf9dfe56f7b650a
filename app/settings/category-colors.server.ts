import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { AppContext } from "../lib/context.server";
import type { AuthedSession } from "../auth/guards.server";
import { auditInsertByChange } from "../audit/audit.server";
import { CATEGORY_COLORS, categoryColors, services } from "../../db/schema";
import { categoryClass } from "../scheduling/day-grid-view";

export const CategoryColorSchema = z.object({
  category: z.string({ required_error: "Choose a category." }).trim().min(1, "Choose a category.").max(80, "That category name is too long."),
  color: z.enum(CATEGORY_COLORS, { errorMap: () => ({ message: "Choose one of the colours shown." }) }),
});

/** Each category the clinic's services use, with the colour it has on the calendar (chosen, or the steady default). */
export async function listCategoryColors(ctx: AppContext, session: AuthedSession) {
  const organizationId = session.user.organizationId;
  const [used, chosen] = await Promise.all([
    ctx.db.selectDistinct({ category: services.category }).from(services).where(eq(services.organizationId, organizationId)).orderBy(services.category),
    ctx.db.select({ category: categoryColors.category, color: categoryColors.color }).from(categoryColors).where(eq(categoryColors.organizationId, organizationId)),
  ]);
  const byCategory = new Map(chosen.map((c) => [c.category, c.color]));
  return used.map(({ category }) => ({ category, color: byCategory.get(category) ?? (categoryClass(category).slice("cat-".length) as (typeof CATEGORY_COLORS)[number]), chosen: byCategory.has(category) }));
}

/**
 * Sets a category's colour, for a category one of the clinic's services uses: one conditional
 * upsert and its audit, in one batch (the calendar's cached markup follows through the schedule
 * version, migration 0022).
 */
export async function setCategoryColor(ctx: AppContext, session: AuthedSession, v: z.infer<typeof CategoryColorSchema>) {
  const organizationId = session.user.organizationId;
  const [[inUse]] = await Promise.all([ctx.db.select({ category: services.category }).from(services).where(and(eq(services.organizationId, organizationId), eq(services.category, v.category))).limit(1)]);
  if (!inUse) return false;
  await ctx.db.batch([
    ctx.db.insert(categoryColors).values({ organizationId, category: v.category, color: v.color }).onConflictDoUpdate({ target: [categoryColors.organizationId, categoryColors.category], set: { color: v.color } }),
    auditInsertByChange(ctx, ctx.db, { actor: session.user, action: "settings.category_color", entityType: "organization", entityId: organizationId }, "unchanged"),
  ]);
  return true;
}
