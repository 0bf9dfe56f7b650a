import { Form } from "@remix-run/react";
import { Camera, Trash2 } from "lucide-react";
import { PHOTO_USE_LABEL } from "~/consents/photo-use-field";
import { Card, Notice, buttonClass, dangerButtonClass } from "~/components/ui";
import { Field, SelectField } from "~/components/field";
import { PHOTO_ANGLES, PHOTO_STAGES, type PhotoAngle, type PhotoStage } from "../../db/schema/chart-photos";

export interface ChartPhoto {
  id: string;
  stage: PhotoStage;
  angle: PhotoAngle;
  caption: string | null;
  width: number;
  height: number;
  takenAt: string;
}

const STAGES: Record<PhotoStage, string> = { before: "Before", during: "During", after: "After" };
const ANGLES: Record<PhotoAngle, string> = { front: "Front", left: "Left profile", right: "Right profile", left_oblique: "Left oblique", right_oblique: "Right oblique", other: "Other" };

export const photoTitle = (p: Pick<ChartPhoto, "stage" | "angle">) => `${STAGES[p.stage]} · ${ANGLES[p.angle]}`;

/** The pair worth comparing: the first "before" and the last "after" taken from the same angle. */
export function comparisonPair(photos: ChartPhoto[]): [ChartPhoto, ChartPhoto] | null {
  for (const after of [...photos].reverse().filter((p) => p.stage === "after")) {
    const before = photos.find((p) => p.stage === "before" && p.angle === after.angle);
    if (before) return [before, after];
  }
  return null;
}

/**
 * A chart's clinical photos: previews in the order taken, before and after side by side, and (on a
 * draft, for its provider) a form that takes a photo with the tablet's camera. The form posts
 * without JavaScript; its client id is made with the page, so sending it twice adds one photo.
 */
export function ChartPhotos({ encounterId, photos, editable, clientId, errors = {}, waiting = [], consent }: { encounterId: string; photos: ChartPhoto[]; editable: boolean; clientId: string; errors?: Record<string, string>; waiting?: { id: number; url: string; label: string }[]; consent?: { current: boolean; use: "clinical" | "marketing" | null; queued?: boolean } }) {
  // No current clinical photography consent (and none signed on this tablet waiting to be sent): no camera.
  const mayTake = !consent || consent.current || consent.queued;
  const src = (p: ChartPhoto, size: "thumb" | "full") => `/charts/${encounterId}/photos/${p.id}${size === "thumb" ? "?size=thumb" : ""}`;
  const pair = comparisonPair(photos);
  return (
    <Card title="Photos">
      {photos.length === 0 && waiting.length === 0 ? <p className="text-stone-600">No photos yet.</p> : null}
      {waiting.length ? (
        <ul aria-label="Photos waiting to upload" className="mb-4 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4">
          {waiting.map((w) => (
            <li key={w.id} className="overflow-hidden rounded-lg border border-dashed border-amber-500">
              <img src={w.url} alt={w.label} className="aspect-square w-full object-cover" />
              <p className="p-2 text-sm"><span className="font-semibold">{w.label}</span><br /><span className="text-amber-900">On this tablet, not uploaded yet</span></p>
            </li>
          ))}
        </ul>
      ) : null}
      {pair ? (
        <figure className="mb-4">
          <figcaption className="mb-2 text-sm font-semibold text-stone-700">Before and after · {ANGLES[pair[1].angle]}</figcaption>
          <div className="grid max-w-xl grid-cols-2 gap-2">
            {pair.map((p) => (
              <a key={p.id} href={src(p, "full")} className="block overflow-hidden rounded-lg bg-stone-100">
                <img src={src(p, "thumb")} alt={`${photoTitle(p)}, ${p.takenAt}`} className="aspect-[3/4] w-full object-cover" loading="lazy" />
              </a>
            ))}
          </div>
        </figure>
      ) : null}
      {photos.length ? (
        <ul aria-label="Photos taken" className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4">
          {photos.map((p) => (
            <li key={p.id} className="overflow-hidden rounded-lg border border-stone-200">
              <a href={src(p, "full")} className="block bg-stone-100">
                <img src={src(p, "thumb")} alt={`${photoTitle(p)}, ${p.takenAt}`} width={p.width} height={p.height} className="aspect-square w-full object-cover" loading="lazy" />
              </a>
              <div className="flex items-start justify-between gap-2 p-2">
                <div className="min-w-0 text-sm">
                  <p className="font-semibold">{photoTitle(p)}</p>
                  <p className="text-stone-600">{p.takenAt}</p>
                  {p.caption ? <p className="break-words">{p.caption}</p> : null}
                </div>
                {editable ? (
                  <Form method="post" action={`/charts/${encounterId}/photos`}>
                    <input type="hidden" name="intent" value="remove" />
                    <input type="hidden" name="photoId" value={p.id} />
                    <button type="submit" className={`${dangerButtonClass} px-3`} aria-label={`Remove ${photoTitle(p)} photo`}>
                      <Trash2 aria-hidden className="h-5 w-5" />
                    </button>
                  </Form>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {consent?.current && consent.use ? <p className="mt-3 text-sm text-stone-700">Photo consent: <span className="font-semibold">{PHOTO_USE_LABEL[consent.use]}</span></p> : null}
      {editable && !mayTake ? (
        <div className="mt-4 border-t border-stone-200 pt-4">
          <Notice tone="info">Photos need the patient's clinical photography consent. Have the patient sign it under “Before signing”, then take photos here.</Notice>
        </div>
      ) : null}
      {editable && mayTake ? (
        <Form method="post" action={`/charts/${encounterId}/photos`} encType="multipart/form-data" data-outbox="photo" className="mt-4 grid gap-3 border-t border-stone-200 pt-4 sm:grid-cols-2">
          <input type="hidden" name="clientId" value={clientId} />
          <div className="sm:col-span-2">
            <Field label="Photo" hint="JPEG, PNG or WebP, up to 25 MB. Location and camera details are removed before it is stored." errors={errors.photo ? [errors.photo] : undefined} inputProps={{ id: "photo-file", name: "photo", type: "file", accept: "image/jpeg,image/png,image/webp", capture: "environment", required: true }} />
          </div>
          <SelectField label="When" errors={errors.stage ? [errors.stage] : undefined} selectProps={{ id: "photo-stage", name: "stage", defaultValue: photos.length ? "after" : "before" }}>
            {PHOTO_STAGES.map((s) => (
              <option key={s} value={s}>{STAGES[s]}</option>
            ))}
          </SelectField>
          <SelectField label="Angle" errors={errors.angle ? [errors.angle] : undefined} selectProps={{ id: "photo-angle", name: "angle", defaultValue: "front" }}>
            {PHOTO_ANGLES.map((a) => (
              <option key={a} value={a}>{ANGLES[a]}</option>
            ))}
          </SelectField>
          <div className="sm:col-span-2">
            <Field label="Caption (optional)" errors={errors.caption ? [errors.caption] : undefined} inputProps={{ id: "photo-caption", name: "caption", maxLength: 200 }} />
          </div>
          <div>
            <button type="submit" name="intent" value="add" className={`${buttonClass} gap-2`}>
              <Camera aria-hidden className="h-5 w-5" /> Add photo
            </button>
          </div>
        </Form>
      ) : null}
    </Card>
  );
}
