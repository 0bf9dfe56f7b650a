/** Said on `window` by submission-retry.client.ts while a submission waits for the network, and when it's through. */
export const SUBMISSION_EVENT = "atrium:submission";
export type SubmissionEventDetail = { state: "held" | "done" };
