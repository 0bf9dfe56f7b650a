import type { GiftCardDesign } from "../../db/schema";

export const DESIGN_LABELS: Record<GiftCardDesign, string> = { botanical: "Botanical", gold: "Gold foil", minimal: "Minimal" };
