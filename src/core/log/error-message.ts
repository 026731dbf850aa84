/** What went wrong, in one line, for an error of any kind (a thrown string, a rejected value). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
