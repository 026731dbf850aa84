import { z } from 'zod';

/** A regular expression kept as data (content files): refused at load when it does not compile. */
export const regexSource = z
  .string()
  .min(2)
  .refine(
    (source) => {
      try {
        new RegExp(source, 'iu');
        return true;
      } catch {
        return false;
      }
    },
    { error: 'not a valid regular expression' },
  );
