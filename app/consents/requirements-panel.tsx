import { useState } from "react";
import { Link } from "@remix-run/react";
import { CheckCircle2, CircleAlert } from "lucide-react";
import { Card, secondaryButtonClass } from "~/components/ui";
import { OfflineConsent, type ConsentFormText } from "./offline-consent";

export interface RequirementsView {
  consents: { templateId: string; name: string; current: boolean; signed: { consentId: string; when: string; version: number; signerName: string } | null }[];
  exam: { required: boolean; current: boolean; validMonths: number; last: { when: string; examinerName: string } | null };
  missing: string[];
}

/**
 * What the chart needs on file before it can be signed: each consent the service requires and,
 * for injectables where the clinic asks, a good-faith exam. Each line says what is there or what
 * to do, with the link that does it for whoever may.
 */
export function RequirementsPanel({ encounterId, requirements, canCollect, canExamine, offline }: { encounterId: string; requirements: RequirementsView; canCollect: boolean; canExamine: boolean; offline?: { forms: ConsentFormText[]; queued: string[]; online: boolean; patientName: string } }) {
  const { consents, exam } = requirements;
  const [signing, setSigning] = useState<string | null>(null);
  // With no network, the patient signs on this tablet from the text kept with the chart (ADR 030).
  const keptForm = (templateId: string) => (offline && !offline.online ? offline.forms.find((f) => f.templateId === templateId) : undefined);
  const open = signing ? keptForm(signing) : undefined;
  if (!consents.length && !exam.required) return null;
  const ok = (text: string) => (
    <span className="flex items-start gap-2 text-emerald-900">
      <CheckCircle2 aria-hidden className="mt-0.5 h-5 w-5 shrink-0" /> {text}
    </span>
  );
  const needed = (text: string) => (
    <span className="flex items-start gap-2 font-medium text-red-800">
      <CircleAlert aria-hidden className="mt-0.5 h-5 w-5 shrink-0" /> {text}
    </span>
  );
  return (
    <Card title="Before signing">
      <ul className="divide-y divide-stone-200">
        {consents.map((c) => (
          <li key={c.templateId} className="flex flex-wrap items-center justify-between gap-2 py-2">
            <div className="min-w-0">
              {c.current ? ok(`${c.name}: signed ${c.signed!.when} by ${c.signed!.signerName} (version ${c.signed!.version})`) : needed(c.signed ? `${c.name}: the signature on file (${c.signed.when}) has expired` : `${c.name}: not signed`)}
            </div>
            <div className="flex gap-3 text-sm">
              {c.signed ? (
                <a href={`/consents/signed/${c.signed.consentId}.pdf`} className="font-medium text-brand-800 underline" aria-label={`Signed ${c.name.toLowerCase()} (PDF)`}>
                  Signed copy (PDF)
                </a>
              ) : null}
              {!c.current && canCollect && offline?.queued.includes(c.templateId) ? (
                <span className="font-medium text-amber-900">Signed on this tablet · sent when the connection is back</span>
              ) : !c.current && canCollect && keptForm(c.templateId) ? (
                <button type="button" className={`${secondaryButtonClass} min-h-11`} aria-label={`Have the patient sign the ${c.name.toLowerCase()} on this tablet`} onClick={() => setSigning(c.templateId)}>
                  Have the patient sign
                </button>
              ) : !c.current && canCollect ? (
                <Link to={`/charts/${encounterId}/consents/${c.templateId}`} className="font-semibold text-brand-800 underline" aria-label={`Have the patient sign the ${c.name.toLowerCase()}`}>
                  Have the patient sign
                </Link>
              ) : null}
            </div>
          </li>
        ))}
        {exam.required ? (
          <li className="flex flex-wrap items-center justify-between gap-2 py-2">
            <div className="min-w-0">{exam.current ? ok(`Good-faith exam: ${exam.last!.examinerName}, ${exam.last!.when}`) : needed(exam.last ? `Good-faith exam: the last (${exam.last.when}) is older than ${exam.validMonths} months` : "Good-faith exam by a prescriber: none on file")}</div>
            {!exam.current && canExamine ? (
              <Link to={`/charts/${encounterId}/exam`} className="text-sm font-semibold text-brand-800 underline">
                Record the exam
              </Link>
            ) : null}
          </li>
        ) : null}
      </ul>
      {open && offline && !offline.queued.includes(open.templateId) ? (
        <div className="mt-4">
          <OfflineConsent key={open.templateId} form={open} patientName={offline.patientName} onClose={() => setSigning(null)} />
        </div>
      ) : null}
    </Card>
  );
}
