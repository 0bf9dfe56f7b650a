import { Form } from "@remix-run/react";
import { ErrorList } from "~/components/field";
import { Card, buttonClass, secondaryButtonClass } from "~/components/ui";

const STATUS = { pending: "Waiting for the medical director's co-signature", cosigned: "Co-signed", returned: "Returned to the provider" } as const;

/** A chart chosen for review: where it stands, and for the medical director, co-sign or return it with a comment. */
export function ReviewPanel({ review, canReview, errors, busy }: { review: { reason: string; status: "pending" | "cosigned" | "returned"; comment: string | null; reviewerName: string | null; decidedAt: string | null }; canReview: boolean; errors: Record<string, string>; busy: boolean }) {
  return (
    <Card title="Medical director review">
      <p className={review.status === "returned" ? "font-semibold text-amber-950" : "text-stone-800"}>
        {STATUS[review.status]}
        {review.reviewerName && review.status !== "pending" ? ` by ${review.reviewerName}, ${review.decidedAt}` : ""}
        <span className="text-sm font-normal text-stone-600"> · {review.reason === "always" ? "this service is always reviewed" : "chosen in the review sample"}</span>
      </p>
      {review.comment ? <p className="mt-2 rounded-lg bg-amber-50 p-3 text-amber-950">“{review.comment}” Answer with an addendum below.</p> : null}
      {canReview ? (
        <div className="mt-4 grid gap-4 md:grid-cols-2">
          <Form method="post">
            <button type="submit" name="intent" value="cosign" className={buttonClass} disabled={busy}>Co-sign chart</button>
          </Form>
          <Form method="post" className="space-y-2">
            <label htmlFor="review-comment" className="block text-sm font-medium">Return to the provider with a comment</label>
            <textarea id="review-comment" name="comment" rows={2} maxLength={2000} className="block w-full rounded-lg border border-stone-400 px-3 py-2" aria-invalid={errors.comment ? true : undefined} aria-describedby={errors.comment ? "review-comment-error" : undefined} />
            <ErrorList id="review-comment-error" errors={errors.comment ? [errors.comment] : undefined} />
            <button type="submit" name="intent" value="return" className={secondaryButtonClass} disabled={busy}>Return chart</button>
          </Form>
        </div>
      ) : null}
    </Card>
  );
}
