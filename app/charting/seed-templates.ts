import type { ChartKind } from "../../db/schema/charting";
import type { TemplateSection } from "./template";

/**
 * The templates every clinic starts with (issue 11); managers edit them into new versions.
 * Patient-visible fields are the ones a clinic would put on a patient's aftercare copy.
 */
export interface SeedTemplate {
  name: string;
  kind: ChartKind;
  faceChart: boolean;
  sections: TemplateSection[];
}

const consentCheck: TemplateSection = {
  title: "Before treatment",
  fields: [
    { id: "consent_reviewed", label: "Consent reviewed with the patient", type: "yes_no", required: true },
    { id: "pregnant_or_nursing", label: "Pregnant or breastfeeding", type: "yes_no", required: true },
    { id: "changes_since_last", label: "Changes to health or medication since last visit", type: "long_text" },
  ],
};

const aftercare = (advice: string[]): TemplateSection => ({
  title: "Aftercare",
  fields: [
    { id: "aftercare_given", label: "Aftercare given", type: "multi_choice", options: advice, patientVisible: true },
    { id: "follow_up", label: "Follow-up", type: "choice", options: ["None needed", "2 weeks", "4 weeks", "3 months"], patientVisible: true },
    { id: "internal_note", label: "Internal note (staff only)", type: "long_text" },
  ],
});

export const SEED_TEMPLATES: SeedTemplate[] = [
  {
    name: "Neurotoxin",
    kind: "neurotoxin",
    faceChart: true,
    sections: [
      consentCheck,
      {
        title: "Assessment",
        fields: [
          { id: "concerns", label: "Patient's concerns", type: "long_text", patientVisible: true },
          { id: "dynamic_lines", label: "Dynamic lines", type: "multi_choice", options: ["Forehead", "Glabella", "Crow's feet", "Bunny lines", "Perioral", "Platysma"] },
          { id: "asymmetry", label: "Asymmetry noted", type: "yes_no" },
          { id: "photos_taken", label: "Before photos taken", type: "yes_no" },
        ],
      },
      aftercare(["Stay upright for 4 hours", "No rubbing the area", "No exercise for 24 hours", "Results in 3–14 days"]),
    ],
  },
  {
    name: "Dermal filler",
    kind: "filler",
    faceChart: true,
    sections: [
      consentCheck,
      {
        title: "Assessment",
        fields: [
          { id: "concerns", label: "Patient's concerns", type: "long_text", patientVisible: true },
          { id: "anaesthetic", label: "Anaesthetic", type: "choice", options: ["None", "Topical", "Dental block", "Lidocaine in product"] },
          { id: "aspiration", label: "Aspirated before injecting", type: "yes_no" },
          { id: "capillary_refill", label: "Capillary refill checked after", type: "yes_no", required: true },
        ],
      },
      aftercare(["Ice as needed", "No massage unless told", "Avoid heat for 48 hours", "Call us about blanching or severe pain"]),
    ],
  },
  {
    name: "Chemical peel",
    kind: "peel",
    faceChart: false,
    sections: [
      consentCheck,
      {
        title: "Treatment",
        fields: [
          { id: "fitzpatrick", label: "Fitzpatrick skin type", type: "choice", options: ["I", "II", "III", "IV", "V", "VI"], required: true },
          { id: "peel_agent", label: "Peel agent", type: "choice", options: ["Glycolic", "Salicylic", "Lactic", "Jessner", "TCA", "Mandelic"], required: true },
          { id: "strength", label: "Strength", type: "number", unit: "%" },
          { id: "layers", label: "Layers", type: "number" },
          { id: "contact_time", label: "Contact time", type: "number", unit: "min" },
          { id: "frosting", label: "Frosting", type: "choice", options: ["None", "Level 1", "Level 2", "Level 3"] },
        ],
      },
      aftercare(["Gentle cleanser only", "SPF 30+ daily", "Don't pick peeling skin", "No retinoids for 7 days"]),
    ],
  },
  {
    name: "Laser / IPL",
    kind: "laser",
    faceChart: false,
    sections: [
      consentCheck,
      {
        title: "Treatment",
        fields: [
          { id: "fitzpatrick", label: "Fitzpatrick skin type", type: "choice", options: ["I", "II", "III", "IV", "V", "VI"], required: true },
          { id: "device", label: "Device", type: "text", required: true },
          { id: "handpiece", label: "Handpiece / wavelength", type: "text" },
          { id: "fluence", label: "Fluence", type: "number", unit: "J/cm²" },
          { id: "pulse_width", label: "Pulse width", type: "number", unit: "ms" },
          { id: "spot_size", label: "Spot size", type: "number", unit: "mm" },
          { id: "passes", label: "Passes", type: "number" },
          { id: "test_patch_date", label: "Test patch done on", type: "date" },
          { id: "eye_protection", label: "Eye protection worn", type: "yes_no", required: true },
        ],
      },
      aftercare(["Cool compresses", "SPF 30+ daily", "Avoid sun for 2 weeks", "No hot showers for 24 hours"]),
    ],
  },
  {
    name: "General SOAP note",
    kind: "soap",
    faceChart: false,
    sections: [
      {
        title: "SOAP",
        fields: [
          { id: "subjective", label: "Subjective", type: "long_text", required: true },
          { id: "objective", label: "Objective", type: "long_text" },
          { id: "assessment", label: "Assessment", type: "long_text" },
          { id: "plan", label: "Plan", type: "long_text", patientVisible: true },
        ],
      },
    ],
  },
];

/** The seed template a service charts with, from its name and category. */
export function seedKindForService(name: string, category: string): ChartKind {
  const text = `${name} ${category}`.toLowerCase();
  if (/consult/.test(text)) return "soap";
  if (/toxin|botox|dysport|xeomin|wrinkle/.test(text)) return "neurotoxin";
  if (/filler|volume/.test(text)) return "filler";
  if (/peel/.test(text)) return "peel";
  if (/laser|ipl|light/.test(text)) return "laser";
  return "soap";
}
