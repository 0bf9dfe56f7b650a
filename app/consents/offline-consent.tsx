import { useState } from "react";
import { Card, buttonClass, secondaryButtonClass } from "~/components/ui";
import { SignaturePadField } from "./signature-pad";
import { PhotoUseField } from "./photo-use-field";
import { ConsentSignerFields } from "./consent-signer-fields";

export interface ConsentFormText {
  templateId: string;
  versionId: string;
  version: number;
  title: string;
  body: string;
  fingerprint: string;
  /** The clinical photography consent: the patient also chooses how photographs may be used. */
  photoChoice?: boolean;
}

/**
 * A consent the patient reads and signs on the provider's tablet with no network (ADR 030): the
 * text kept with the chart, the same fields as the consent page. The chart's outbox takes the
 * submission (data-outbox="consent") and sends it when the connection is back, before the
 * chart's own signature.
 */
export function OfflineConsent({ form, patientName, onClose }: { form: ConsentFormText; patientName: string; onClose(): void }) {
  // One id per signing, kept across renders: sent twice, it is recorded once.
  const [clientId] = useState(() => crypto.randomUUID());
  return (
    <Card title={form.title}>
      <p className="text-sm text-stone-600">Version {form.version} · text fingerprint {form.fingerprint} · kept on this tablet</p>
      <p className="mt-2 text-stone-700">Hand the tablet to {patientName} to read and sign.</p>
      <div className="mt-4 max-h-96 space-y-4 overflow-y-auto rounded-lg border border-stone-200 p-4 text-lg leading-relaxed" tabIndex={0} aria-label={`${form.title} text`}>
        {form.body.split(/\n{2,}/).map((paragraph, i) => (
          <p key={i}>{paragraph}</p>
        ))}
      </div>
      <form method="post" data-outbox="consent" data-title={form.title} className="mt-4 space-y-4">
        <input type="hidden" name="templateId" value={form.templateId} />
        <input type="hidden" name="versionId" value={form.versionId} />
        <input type="hidden" name="clientId" value={clientId} />
        <ConsentSignerFields id={`signer-name-${form.templateId}`} patientName={patientName} />
        {form.photoChoice ? <PhotoUseField /> : null}
        <SignaturePadField />
        <label className="flex min-h-11 items-start gap-3">
          <input type="checkbox" name="agree" required className="mt-1 h-6 w-6" />
          <span>I have read this consent, my questions were answered, and I agree to it.</span>
        </label>
        <div className="flex flex-wrap gap-3">
          <button type="submit" className={buttonClass}>Sign consent</button>
          <button type="button" className={secondaryButtonClass} onClick={onClose}>Not now</button>
        </div>
      </form>
    </Card>
  );
}
