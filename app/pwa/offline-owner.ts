/** The server's answer to a change queued by another user than the one signed in: the tablet keeps it. */
export const OTHER_USER_HEADER = "atrium-offline-owner";
