import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Notice, PageHeader, secondaryButtonClass } from "~/components/ui";
import { notFound, requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { ChartPhotos } from "~/charting/chart-photos";
import { addPhoto, removePhoto } from "~/charting/photos.server";
import { chartPhotoList } from "~/charting/chart-page.server";

export const meta: MetaFunction = () => [{ title: "Chart photos · Atrium" }];

/**
 * Where a chart's photo form posts (multipart, up to 25 MB: body-limits.ts). Added or removed, it
 * goes back to the chart; refused, this page says why by its field and offers the form again.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "write:chart:own");
  const id = (params.encounterId ?? "").slice(0, 64);
  const list = await chartPhotoList(context, session, id);
  if (!list) throw notFound("No chart with that id in your organization.");
  return data({ encounterId: id, ...list, clientId: crypto.randomUUID() }, { headers: NO_STORE });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "write:chart:own");
  const id = (params.encounterId ?? "").slice(0, 64);
  // A multipart body that doesn't parse (cut off, a forged boundary) is the sender's fault: 400.
  const form = await request.formData().catch(() => {
    throw data({ message: "That upload arrived incomplete. Try again.", errors: {} }, { status: 400, headers: NO_STORE });
  });
  const outcome = form.get("intent") === "remove" ? await removePhoto(context, session, id, String(form.get("photoId") ?? "")) : await addPhoto(context, session, id, form);
  if (outcome.ok) throw redirect(`/charts/${id}?saved=${form.get("intent") === "remove" ? "photo-removed" : "photo"}#photos`, { headers: NO_STORE });
  return data({ message: outcome.message, errors: outcome.field ? { [outcome.field]: outcome.message } : {} }, { status: outcome.status, headers: NO_STORE });
}

export default function ChartPhotosPage() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  return (
    <>
      <PageHeader title="Chart photos" description={page.title} actions={<Link to={`/charts/${page.encounterId}`} className={secondaryButtonClass}>Back to the chart</Link>} />
      {reply?.message ? (
        <div className="mb-4">
          <Notice tone="error">{reply.message}</Notice>
        </div>
      ) : null}
      <ChartPhotos encounterId={page.encounterId} photos={page.photos} editable={page.editable} clientId={page.clientId} errors={reply?.errors} />
    </>
  );
}

