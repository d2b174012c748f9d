import i18next from 'i18next';
import later from './de-later.json';

/**
 * Texts of screens that are not on the way to the questionnaire (report, overview, comparison,
 * bundles, programme team, site texts, the Kommune form, the accessibility statement). They load with those screens' code, so the questionnaire route does not carry them.
 * Importing this module adds them.
 */
i18next.addResourceBundle('de', 'translation', later, true, false);
