import { data, type HeadersFunction } from "@remix-run/node";
import { NO_STORE } from "../lib/forms.server";
import { OTHER_USER_HEADER } from "./offline-owner";

/**
 * A change queued offline on a shared tablet names the user who made it (`offlineUser`). Under
 * anyone else's session it is refused, changes nothing, and the tablet keeps it for its owner:
 * it must never apply as, or be audited under, the wrong person.
 */
export function refuseOtherUsersChange(formData: FormData, userId: string) {
  const madeBy = formData.get("offlineUser");
  if (madeBy === null || madeBy === userId) return null;
  return data({ message: "This change was made offline by someone else on this tablet. It waits for them to sign in." }, { status: 409, headers: { ...NO_STORE, [OTHER_USER_HEADER]: "1" } });
}

/**
 * For the routes that take tablet changes: a document POST's headers come from the route's
 * `headers` export, so the refusal's marker is passed on from the action.
 */
export const offlineOwnerHeaders: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  const marker = actionHeaders.get(OTHER_USER_HEADER);
  if (marker) headers.set(OTHER_USER_HEADER, marker);
  return headers;
};
