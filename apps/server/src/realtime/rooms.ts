/** The room holding every socket of one user in a namespace: their tabs and devices. */
export function userRoom(userId: string): string {
  return `user:${userId}`;
}

/** The room holding every socket opened with one session, so ending the session can disconnect them. */
export function sessionRoom(sessionId: string): string {
  return `session:${sessionId}`;
}
