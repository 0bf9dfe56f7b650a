import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Card, Notice, buttonClass, secondaryButtonClass } from "~/components/ui";
import { ErrorList } from "~/components/field";
import { notFound, requirePermission } from "~/auth/guards.server";
import { audit } from "~/audit/audit.server";
import { NO_STORE } from "~/lib/forms.server";
import { consentToSign, photoConsentId, signConsent } from "~/consents/consents.server";
import { PhotoUseField } from "~/consents/photo-use-field";
import { ConsentSignerFields } from "~/consents/consent-signer-fields";
import { SignaturePadField } from "~/consents/signature-pad";

export const meta: MetaFunction = () => [{ title: "Consent · Atrium" }];

/**
 * A consent form the patient reads and signs on the provider's tablet: the current version's exact
 * text (its fingerprint shown), the signer's name, a signature, and an explicit agreement.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "write:chart:own");
  const encounterId = (params.encounterId ?? "").slice(0, 64);
  const form = await consentToSign(context, session, encounterId, (params.templateId ?? "").slice(0, 200));
  if (!form) throw notFound("That consent form was not found for this chart.");
  await audit(context, { actor: session.user, action: "consent.open", entityType: "consent_template", entityId: params.templateId ?? "", outcome: "allowed" });
  return data({ encounterId, title: form.title, body: form.body, version: form.version, versionId: form.versionId, fingerprint: form.sha.slice(0, 12), patientName: form.patientName, clientId: crypto.randomUUID(), photoChoice: params.templateId === photoConsentId(session.user.organizationId) }, { headers: NO_STORE });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "write:chart:own");
  const encounterId = (params.encounterId ?? "").slice(0, 64);
  const outcome = await signConsent(context, session, encounterId, params.templateId ?? "", await request.formData());
  if (outcome.ok) throw redirect(`/charts/${encounterId}?saved=consent`, { headers: NO_STORE });
  return data({ message: outcome.message, errors: outcome.errors }, { status: outcome.status, headers: NO_STORE });
}

export default function SignConsentPage() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string> = reply?.errors ?? {};
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-stone-700">Hand the tablet to {page.patientName} to read and sign.</p>
        <Link to={`/charts/${page.encounterId}`} className={secondaryButtonClass}>Back to the chart</Link>
      </div>
      {reply?.message ? <Notice tone="error">{reply.message}</Notice> : null}
      <Card>
        <h1 className="text-2xl font-semibold">{page.title}</h1>
        <p className="mt-1 text-sm text-stone-600">Version {page.version} · text fingerprint {page.fingerprint}</p>
        <div className="mt-4 space-y-4 text-lg leading-relaxed">
          {page.body.split(/\n{2,}/).map((paragraph, i) => (
            <p key={i}>{paragraph}</p>
          ))}
        </div>
      </Card>
      <Card title="Sign">
        <Form method="post" className="space-y-4">
          <input type="hidden" name="clientId" value={page.clientId} />
          <input type="hidden" name="versionId" value={page.versionId} />
          <ConsentSignerFields id="signer-name" patientName={page.patientName} errors={errors} />
          {page.photoChoice ? <PhotoUseField /> : null}
          <SignaturePadField error={errors.strokes} />
          <div>
            <label className="flex min-h-11 items-start gap-3">
              <input type="checkbox" name="agree" className="mt-1 h-6 w-6" aria-describedby={errors.agree ? "agree-error" : undefined} aria-invalid={errors.agree ? true : undefined} />
              <span>I have read this consent, my questions were answered, and I agree to it.</span>
            </label>
            <ErrorList id="agree-error" errors={errors.agree ? [errors.agree] : undefined} />
          </div>
          <button type="submit" className={buttonClass} disabled={busy}>Sign consent</button>
        </Form>
      </Card>
    </div>
  );
}
