import type { ChartKind } from "../../db/schema/charting";

/**
 * The consent forms every clinic starts with (issue 11). Plain language a patient can read on a
 * tablet in a minute or two; a clinic edits them into new versions (the old text stays, by hash).
 */
export interface SeedConsent {
  key: string;
  name: string;
  /** The chart kinds whose services require this consent. */
  kinds: ChartKind[];
  validMonths: number;
  body: string;
}

export const SEED_CONSENTS: SeedConsent[] = [
  {
    key: "neurotoxin",
    name: "Neurotoxin treatment consent",
    kinds: ["neurotoxin"],
    validMonths: 12,
    body: `I ask to be treated with botulinum toxin (such as Botox, Dysport or Xeomin) to relax the muscles that cause lines.

What to expect: results show within 3 to 14 days and usually last 3 to 4 months. More than one treatment may be needed, and results are not guaranteed.

Possible effects: redness, swelling, bruising or tenderness where the needle went in; headache; a drooping eyelid or brow, an uneven smile or asymmetry, which usually pass within weeks. Rarely, the effect spreads beyond the treated area and causes trouble swallowing, speaking or breathing: I will seek medical care at once if this happens.

I have told my provider if I am pregnant or breastfeeding, have a nerve or muscle disorder (such as myasthenia gravis), an infection where I will be treated, or take medicines that affect bleeding or nerve and muscle function.

Aftercare: I will stay upright for 4 hours, not rub or massage the treated areas, and avoid strenuous exercise for the rest of the day.

I have had the chance to ask questions, and they were answered. I may withdraw this consent at any time before treatment.`,
  },
  {
    key: "filler",
    name: "Dermal filler consent",
    kinds: ["filler"],
    validMonths: 12,
    body: `I ask to be treated with hyaluronic acid dermal filler to restore volume or smooth folds.

What to expect: results are visible at once and settle over 2 weeks; they usually last 6 to 18 months. Filler can be dissolved with hyaluronidase if needed.

Possible effects: swelling, bruising, tenderness, lumps or asymmetry, which usually settle within 2 weeks; infection; a delayed reaction. Rarely, filler blocks a blood vessel, which can harm the skin or, very rarely, sight. I will call the clinic at once about pain out of proportion, skin that turns white or dusky, or any change in vision.

I have told my provider about cold sores, autoimmune conditions, bleeding disorders, blood-thinning medicines or supplements, recent dental work, and any earlier filler or permanent implants.

Aftercare: I will avoid pressure on the treated area, strenuous exercise, heat and alcohol for 24 hours.

I have had the chance to ask questions, and they were answered. I may withdraw this consent at any time before treatment.`,
  },
  {
    key: "peel",
    name: "Chemical peel consent",
    kinds: ["peel"],
    validMonths: 12,
    body: `I ask to be treated with a chemical peel to improve tone and texture.

What to expect: stinging during the peel; redness, tightness and flaking for 3 to 7 days. Several peels may be needed.

Possible effects: prolonged redness, darker or lighter patches (more likely with darker skin or sun exposure), cold sore flare-ups, infection, and rarely scarring.

I have told my provider if I used isotretinoin in the past 6 months, use retinoids or exfoliants, am pregnant or breastfeeding, or have a history of cold sores or keloid scars.

Aftercare: I will not pick or peel flaking skin, will use a gentle cleanser and moisturiser, and will use broad-spectrum sunscreen daily.

I have had the chance to ask questions, and they were answered.`,
  },
  {
    key: "laser",
    name: "Laser and light treatment consent",
    kinds: ["laser"],
    validMonths: 12,
    body: `I ask to be treated with laser or intense pulsed light (IPL).

What to expect: a snapping or warm sensation; redness and swelling for hours to days; pigment may darken before it fades. Several sessions are usually needed.

Possible effects: blistering, burns, crusting, darker or lighter patches, and rarely scarring or eye injury. I will wear the eye protection I am given throughout.

I have told my provider about recent sun exposure or self-tanner, photosensitising medicines, isotretinoin in the past 6 months, pregnancy, tattoos in the area, and a history of cold sores or keloids.

Aftercare: I will avoid sun and heat for 2 weeks and use broad-spectrum sunscreen daily.

I have had the chance to ask questions, and they were answered.`,
  },
  {
    key: "photography",
    name: "Clinical photography consent",
    kinds: ["neurotoxin", "filler", "peel", "laser"],
    validMonths: 24,
    body: `I agree that the clinic may take photographs of the treated areas before, during and after treatment, as part of my medical record.

The photographs are kept with my chart, protected like the rest of my record, and seen only by the clinic's clinical staff. Location and camera details are removed from them before they are stored.

They will not be shown to anyone else, or used for teaching or marketing, without my separate written permission.

I may withdraw this consent for future photographs at any time.`,
  },
];
