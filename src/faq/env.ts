import { z } from 'zod';
import { unsetIfBlank } from '../kit/env.js';

const CONFIDENCE = 'must be a number between 0 and 1';

/**
 * FAQ_DIR and FAQ_MIN_CONFIDENCE, defined once for the server's configuration (src/config.ts)
 * and the `faq` commands (cli-args.ts), so both read a value the same way.
 */
export const faqEnvShape = {
  FAQ_DIR: unsetIfBlank(z.string().default('./faq')),
  /** Unset means the threshold calibrated on the knowledge base at index build. */
  FAQ_MIN_CONFIDENCE: unsetIfBlank(z.coerce.number({ error: CONFIDENCE }).min(0, CONFIDENCE).max(1, CONFIDENCE).optional()),
  /** Unset means calibrated too; 1 (never below the answer threshold) turns asking back off. */
  FAQ_MIN_SUGGEST_CONFIDENCE: unsetIfBlank(z.coerce.number({ error: CONFIDENCE }).min(0, CONFIDENCE).max(1, CONFIDENCE).optional()),
};
