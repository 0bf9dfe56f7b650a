import { parseWithZod } from "@conform-to/zod";
import type { AppContext } from "../lib/context.server";
import type { BookingActor } from "../scheduling/booking.server";
import { joinWaitlist } from "./entries.server";
import { JoinWaitlistSchema } from "./schemas";

/** Validates and joins; the reply carries field-level messages for the form. */
export async function handleJoin(ctx: AppContext, actor: BookingActor, patientId: string | null, formData: FormData) {
  const submission = parseWithZod(formData, { schema: JoinWaitlistSchema });
  if (submission.status !== "success") return { status: 400, reply: submission.reply() };
  const target = patientId ?? submission.value.patientId;
  if (!target) return { status: 400, reply: submission.reply({ formErrors: ["Choose a patient first."] }) };
  const joined = await joinWaitlist(ctx, actor, target, submission.value);
  if (!joined.ok) return { status: joined.status, reply: submission.reply(joined.field ? { fieldErrors: { [joined.field]: [joined.message] } } : { formErrors: [joined.message] }) };
  return { status: 200, reply: submission.reply({ resetForm: true }), id: joined.id };
}
