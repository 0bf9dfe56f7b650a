import { Form } from "@remix-run/react";
import { Camera } from "lucide-react";
import { Card, secondaryButtonClass } from "~/components/ui";

/** Upload (or take, on a tablet or phone: `capture`) the patient's portrait, or remove it. Works without JavaScript. */
export function PhotoForm({ hasPhoto }: { hasPhoto: boolean }) {
  return (
    <Card title="Photo">
      <div className="flex flex-wrap items-end gap-3">
        <Form method="post" encType="multipart/form-data" className="flex flex-wrap items-end gap-3">
          <div>
            <label htmlFor="patient-photo" className="block text-sm font-medium">
              {hasPhoto ? "Replace the photo" : "Add a photo"} (JPEG or PNG, up to 8 MB)
            </label>
            <input id="patient-photo" name="photo" type="file" accept="image/jpeg,image/png" capture="user" required className="mt-1 block min-h-11 max-w-full text-sm file:mr-3 file:min-h-11 file:rounded-lg file:border file:border-stone-300 file:bg-white file:px-3 file:font-medium" />
          </div>
          <button type="submit" name="intent" value="photo-upload" className={secondaryButtonClass + " gap-2"}>
            <Camera aria-hidden="true" className="h-4 w-4" /> Save photo
          </button>
        </Form>
        {hasPhoto ? (
          <Form method="post">
            <button type="submit" name="intent" value="photo-remove" className="min-h-11 px-2 font-medium text-red-800 underline">
              Remove photo
            </button>
          </Form>
        ) : null}
      </div>
      <p className="mt-2 text-sm text-stone-600">Location and camera details are removed from the file before it is kept. Only your clinic's staff can see it.</p>
    </Card>
  );
}
